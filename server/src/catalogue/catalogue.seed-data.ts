import type { BoundaryChangeReason, ItemCategory } from '@xietong/shared';

/**
 * The demo county's enforcement item catalogue (执法事项目录): about forty items typical of
 * Zhejiang's 综合行政执法 catalogue, each with its responsibility boundary versions. Agency codes
 * are those of `county.data.ts`. A few items carry a second version (a later batch, a delegation
 * change, a dispute ruling); one item is a supervision blind spot and one is a penalty gap, on
 * purpose, so the platform has something to flag.
 */

export interface SeedBoundary {
  effectiveFrom: string; // 'YYYY-MM-DD'
  reason: BoundaryChangeReason; // 'batch' | 'delegation_change' | 'dispute_ruling' | 'correction'
  note: string; // Chinese, why this version exists (e.g. '浙江省第二批综合行政执法事项划转')
  supervising: string | null; // agency code, e.g. 'ZJJ'; null only for 1–2 deliberate blind spots
  approving: string | null; // agency code or null where the item has no approval
  penalising: string | null; // normally 'ZFJ'; null for exactly one deliberate gap item
  delegatedTo: string[]; // township codes among the six delegated ones
  evidenceHandoffDuty: string; // Chinese: what the supervising dept hands over when it finds a violation
  resultFeedbackDuty: string; // Chinese: what the penalising body reports back, to whom, within how long
}

export interface SeedItem {
  code: string; // unique, realistic style e.g. '330000-ZF-001' … keep one consistent scheme
  nameZh: string; // the item's official-sounding name, e.g. '对擅自占用城市道路的行政处罚'
  category: ItemCategory;
  legalBasis: string; // Chinese article text with the law name and article number, 1–2 sentences
  transferBatch: string; // '第一批' | '第二批' | '第三批'
  transferDate: string; // 'YYYY-MM-DD' when penalty power moved to the bureau
  boundaries: SeedBoundary[]; // 1 or 2 versions in ascending effectiveFrom order
}

const BATCH_1 = '浙江省第一批综合行政执法事项划转';
const BATCH_2 = '浙江省第二批综合行政执法事项划转（264项）';
const BATCH_3 = '浙江省第三批综合行政执法事项划转';

export const SEED_ITEMS: SeedItem[] = [
  // ---------------------------------------------------------------- 市容环境
  {
    code: '330000-ZF-001',
    nameZh: '对擅自占用道路、公共场地摆摊设点（占道经营）的行政处罚',
    category: '市容环境',
    legalBasis:
      '《浙江省城市市容和环境卫生管理条例》第二十一条、第四十四条：禁止擅自占用城市道路、桥梁、广场等公共场地摆摊设点、经营商品；违反规定的，责令改正，可以处警告或者罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县住建局日常巡查或受理投诉发现占道经营的，3个工作日内移送巡查记录、现场照片视频、经营者身份信息及临时占用公共场地审批情况。',
        resultFeedbackDuty:
          '处罚主体（县综合行政执法局或赋权乡镇）作出处理决定之日起7个工作日内，将处理结果及整改情况反馈县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-002',
    nameZh: '对未经批准擅自设置大型户外广告的行政处罚',
    category: '市容环境',
    legalBasis:
      '《城市市容和环境卫生管理条例》第十一条、第三十六条第（二）项：大型户外广告的设置必须经市容环境卫生行政主管部门同意；未经批准擅自设置大型户外广告，影响市容的，责令停止违法行为，限期清理、拆除，并可处以罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ'],
        evidenceHandoffDuty:
          '县住建局发现未经批准设置户外广告的，5个工作日内移送现场勘验照片、广告设施尺寸位置、设置单位信息及户外广告设置审批查询结果。',
        resultFeedbackDuty: '处罚主体在责令拆除期限届满后7个工作日内，将处罚决定及拆除情况书面反馈县住建局。',
      },
      {
        effectiveFrom: '2023-04-01',
        reason: 'delegation_change',
        note: '湖镇镇户外广告审批信息与执法衔接不畅、案件积压，经县政府同意收回湖镇镇该事项赋权，由县综合行政执法局湖镇执法中队实施。',
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty:
          '县住建局发现未经批准设置户外广告的，5个工作日内移送现场勘验照片、广告设施尺寸位置、设置单位信息及户外广告设置审批查询结果。',
        resultFeedbackDuty: '处罚主体在责令拆除期限届满后7个工作日内，将处罚决定及拆除情况书面反馈县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-003',
    nameZh: '对在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品的行政处罚',
    category: '市容环境',
    legalBasis:
      '《城市市容和环境卫生管理条例》第十七条、第三十四条第（二）项：在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品的，责令纠正违法行为、采取补救措施，可以并处警告、罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县住建局（环卫）发现乱涂写、乱张贴的，3个工作日内移送现场照片、张贴物样本及可追溯的联系电话等线索。',
        resultFeedbackDuty: '处罚主体每月5日前将上月案件查处及清理情况汇总反馈县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-004',
    nameZh: '对在城市建成区饲养家禽家畜影响市容和环境卫生的行政处罚',
    category: '市容环境',
    legalBasis:
      '《城市市容和环境卫生管理条例》第三十三条、第三十五条：城市市区内禁止饲养鸡、鸭、鹅、兔、羊、猪等家畜家禽；未经批准擅自饲养家畜家禽影响市容和环境卫生的，责令其限期处理或者予以没收，并可处以罚款。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: `${BATCH_2}；划转后原市容主管部门以处罚权已划出为由不再开展日常巡查，农业农村部门认为不属畜禽养殖监管范围，监管职责未明确，已提请县综合行政执法指导办协调。`,
        supervising: null,
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '监管部门未明确：群众投诉和基层治理平台流转的线索暂由受理单位直接移送处罚主体，并附现场照片和饲养人基本信息。',
        resultFeedbackDuty:
          '处罚主体作出处理决定之日起7个工作日内，将处理结果报县综合行政执法指导办备案，监管部门明确后一并抄告。',
      },
    ],
  },
  {
    code: '330000-ZF-005',
    nameZh: '对擅自修剪或者砍伐城市树木的行政处罚',
    category: '市容环境',
    legalBasis:
      '《城市绿化条例》第二十六条第（二）项：擅自修剪或者砍伐城市树木的，由城市绿化行政主管部门或者其授权的单位责令停止侵害，可以并处罚款；造成损失的，应当负赔偿责任。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局（园林绿化）发现擅自砍伐、修剪的，3个工作日内移送现场勘验记录、树木品种胸径及数量清点表、砍伐许可查询结果和损失评估意见。',
        resultFeedbackDuty: '县综合行政执法局作出处罚决定之日起7个工作日内，将决定书及补植、赔偿落实情况反馈县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-006',
    nameZh: '对损坏城市树木花草和城市绿化设施的行政处罚',
    category: '市容环境',
    legalBasis:
      '《城市绿化条例》第二十六条第（一）项、第（四）项：损坏城市树木花草或者城市绿化设施的，由城市绿化行政主管部门或者其授权的单位责令停止侵害，可以并处罚款；造成损失的，应当负赔偿责任。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty:
          '县住建局（园林绿化）发现绿地、绿化设施被损毁的，3个工作日内移送现场照片、损毁面积清单和绿化养护单位出具的损失核定意见。',
        resultFeedbackDuty: '处罚主体结案后5个工作日内，将处理结果及恢复绿化情况反馈县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-007',
    nameZh: '对随意倾倒、抛撒、堆放建筑垃圾的行政处罚',
    category: '市容环境',
    legalBasis:
      '《城市建筑垃圾管理规定》第十五条、第二十六条：任何单位和个人不得随意倾倒、抛撒或者堆放建筑垃圾；违反规定的，责令限期改正，给予警告，并对单位处5000元以上5万元以下罚款，对个人处200元以下罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty: '县住建局发现随意倾倒建筑垃圾的，3个工作日内移送现场照片、倾倒点位坐标和垃圾方量估算。',
        resultFeedbackDuty: '县综合行政执法局作出处罚决定之日起7个工作日内，将决定书反馈县住建局。',
      },
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: `${BATCH_2}：将《固体废物污染环境防治法》第一百一十一条工程施工单位擅自倾倒建筑垃圾的处罚一并纳入本事项，并同步向六个中心镇（街道）赋权。`,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县住建局发现随意倾倒建筑垃圾的，3个工作日内移送现场照片、倾倒点位坐标、垃圾方量估算，以及涉事工地的建筑垃圾处置核准和运输车辆备案信息。',
        resultFeedbackDuty:
          '处罚主体作出处罚决定之日起7个工作日内反馈县住建局；责令恢复原状的，在分拣清运、恢复到位后3个工作日内再次反馈，申请法院强制执行的同时告知。',
      },
    ],
  },

  // ---------------------------------------------------------------- 规划建设
  {
    code: '330000-ZF-008',
    nameZh: '对未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的行政处罚',
    category: '规划建设',
    legalBasis:
      '《中华人民共和国城乡规划法》第四十条、第六十四条：未取得建设工程规划许可证或者未按照许可证的规定进行建设的，责令停止建设；尚可采取改正措施消除对规划实施影响的，限期改正，处建设工程造价百分之五以上百分之十以下的罚款；无法采取改正措施消除影响的，限期拆除。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZRZY',
        approving: 'ZRZY',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县自然资源和规划局发现违法建设的，5个工作日内移送现场检查笔录、测绘成果、规划许可及批后管理资料，并出具“尚可采取改正措施”或“无法采取改正措施”的认定意见。',
        resultFeedbackDuty:
          '处罚主体作出处罚决定之日起7个工作日内，将决定书及罚没、拆除执行情况抄告县自然资源和规划局；需补办规划手续的同时告知。',
      },
    ],
  },
  {
    code: '330000-ZF-009',
    nameZh: '对在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设的行政处罚',
    category: '规划建设',
    legalBasis:
      '《中华人民共和国城乡规划法》第四十一条、第六十五条：在乡、村庄规划区内未依法取得乡村建设规划许可证或者未按照许可证的规定进行建设的，责令停止建设、限期改正；逾期不改正的，可以拆除。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZRZY',
        approving: 'ZRZY',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县自然资源和规划局（乡镇自然资源所）发现违法建设的，5个工作日内移送巡查记录、建筑位置和面积测量结果、乡村建设规划许可查询结果及村规划符合性意见。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起7个工作日内，将处理结果及拆除、整改情况反馈县自然资源和规划局。',
      },
    ],
  },
  {
    code: '330000-ZF-010',
    nameZh: '对建设单位未取得施工许可证擅自施工的行政处罚',
    category: '规划建设',
    legalBasis:
      '《中华人民共和国建筑法》第七条、第六十四条：未取得施工许可证擅自施工的，责令改正，对不符合开工条件的责令停止施工，可以处以罚款；《建筑工程施工许可管理办法》第十二条规定对建设单位处工程合同价款1%以上2%以下罚款。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局发现未取得施工许可证擅自施工的，5个工作日内移送现场检查记录、工程合同价款证明、施工许可查询结果及是否符合开工条件的书面意见。',
        resultFeedbackDuty:
          '县综合行政执法局作出处罚决定之日起7个工作日内，将决定书抄送县住建局，供其办理施工许可和信用记录。',
      },
    ],
  },
  {
    code: '330000-ZF-011',
    nameZh: '对施工工地未采取有效防尘降尘措施的行政处罚',
    category: '规划建设',
    legalBasis:
      '《中华人民共和国大气污染防治法》第六十九条、第一百一十五条：施工工地未设置硬质围挡，或者未采取覆盖、分段作业、洒水抑尘、冲洗地面和车辆等有效防尘降尘措施的，责令改正，处一万元以上十万元以下的罚款；拒不改正的，责令停工整治。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty:
          '县住建局（建设工程质量安全监督站）发现扬尘防治不到位的，3个工作日内移送检查记录、现场照片及扬尘在线监测数据。',
        resultFeedbackDuty: '处罚主体作出处罚决定之日起5个工作日内，将决定书及停工整治情况反馈县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-012',
    nameZh: '对装修人未经设计擅自变动建筑主体和承重结构的行政处罚',
    category: '规划建设',
    legalBasis:
      '《住宅室内装饰装修管理办法》第五条、第三十八条：装修人未经原设计单位或者具有相应资质等级的设计单位提出设计方案，擅自变动建筑主体和承重结构的，责令改正，并处罚款。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZJJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局（物业管理）接物业服务企业报告或投诉后，3个工作日内移送现场检查记录、装修备案资料，并委托鉴定机构出具结构安全初步意见。',
        resultFeedbackDuty:
          '县综合行政执法局作出处罚决定之日起7个工作日内反馈县住建局；存在结构安全隐患的，立即通报县住建局和所在乡镇（街道）。',
      },
    ],
  },

  // ---------------------------------------------------------------- 燃气安全
  {
    code: '330000-ZF-013',
    nameZh: '对未取得燃气经营许可证从事燃气经营活动的行政处罚',
    category: '燃气安全',
    legalBasis:
      '《城镇燃气管理条例》第十五条、第四十五条：未取得燃气经营许可证从事燃气经营活动的，由燃气管理部门责令停止违法行为，处5万元以上50万元以下罚款；有违法所得的，没收违法所得。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局（燃气管理）发现无证经营的，24小时内通报县综合行政执法局并移送现场检查记录、气瓶数量及来源、燃气经营许可查询结果；存在重大安全隐患的，同时通报县公安局。',
        resultFeedbackDuty: '县综合行政执法局作出处罚决定之日起5个工作日内，将决定书及暂扣气瓶处置情况反馈县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-014',
    nameZh: '对燃气经营者在不具备安全条件的场所储存燃气、擅自为非自有气瓶充装燃气等违规经营行为的行政处罚',
    category: '燃气安全',
    legalBasis:
      '《城镇燃气管理条例》第十八条、第四十六条：燃气经营者在不具备安全条件的场所储存燃气、擅自为非自有气瓶充装燃气的，由燃气管理部门责令限期改正，处1万元以上10万元以下罚款；情节严重的，吊销燃气经营许可证。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局（燃气管理）在安全检查中发现违规经营的，3个工作日内移送检查记录、隐患照片、充装记录和企业燃气经营许可资料。',
        resultFeedbackDuty:
          '县综合行政执法局作出处罚决定之日起5个工作日内反馈县住建局；拟吊销燃气经营许可证的，移送县住建局依法处理。',
      },
    ],
  },
  {
    code: '330000-ZF-015',
    nameZh: '对瓶装燃气供应站销售超期未检或者报废气瓶的行政处罚',
    category: '燃气安全',
    legalBasis:
      '《浙江省燃气管理条例》第二十四条、第五十二条：瓶装燃气经营者不得销售未经定期检验或者检验不合格、已报废的气瓶；违反规定的，责令改正，没收违法气瓶，并处一万元以上五万元以下罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: BATCH_3,
        supervising: 'SCJG',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县市场监管局（特种设备）发现超期未检气瓶的，3个工作日内移送气瓶编号清单、检验标签照片和气瓶追溯系统查询记录。',
        resultFeedbackDuty:
          '县综合行政执法局作出处罚决定之日起7个工作日内，将决定书及没收气瓶处置情况反馈县市场监管局。',
      },
      {
        effectiveFrom: '2025-03-01',
        reason: 'dispute_ruling',
        note: '县综合行政执法指导办职责争议裁决（龙综执指裁〔2025〕1号）：瓶装燃气经营环节的气瓶检验状况纳入燃气经营日常监管，由县住建局负责；县市场监管局负责气瓶检验机构和充装许可监管。',
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局（燃气管理）在供应站检查中发现超期未检、报废气瓶的，3个工作日内移送气瓶编号清单、检验标签照片、气瓶追溯系统查询记录和站点经营许可资料。',
        resultFeedbackDuty: '县综合行政执法局作出处罚决定之日起7个工作日内，将决定书反馈县住建局，并抄送县市场监管局。',
      },
    ],
  },
  {
    code: '330000-ZF-016',
    nameZh: '对燃气用户擅自安装、改装、拆除户内燃气设施和燃气计量装置的行政处罚',
    category: '燃气安全',
    legalBasis:
      '《城镇燃气管理条例》第二十八条、第四十九条：燃气用户擅自安装、改装、拆除户内燃气设施和燃气计量装置的，由燃气管理部门责令限期改正；逾期不改正的，对单位可以处10万元以下罚款，对个人可以处1000元以下罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: `${BATCH_3}（部分划转）：划转清单未写明户内燃气设施部分由谁承接，县住建局认为处罚权已划出，县综合行政执法局认为该部分未列入划转范围，处罚主体未明确，已报县政府研究确定。`,
        supervising: 'ZJJ',
        approving: null,
        penalising: null,
        delegatedTo: [],
        evidenceHandoffDuty:
          '燃气经营企业入户安检发现擅自改装的，3个工作日内报县住建局；县住建局固定现场照片、安检记录和用户信息，在处罚主体明确前报县综合行政执法指导办。',
        resultFeedbackDuty: '处罚主体未明确，暂无反馈对象；由县综合行政执法指导办每月汇总相关线索并通报县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-017',
    nameZh: '对餐饮等非居民燃气用户未按规定安装可燃气体报警装置的行政处罚',
    category: '燃气安全',
    legalBasis:
      '《浙江省燃气管理条例》第三十一条、第五十六条：使用燃气的餐饮等非居民用户应当安装可燃气体报警装置并保持正常使用；未安装的，责令限期改正，逾期不改正的，处二千元以上二万元以下罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: BATCH_3,
        supervising: 'ZJJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ'],
        evidenceHandoffDuty:
          '县住建局（燃气管理）发现未安装报警装置的，3个工作日内移送检查记录、现场照片和此前下达的限期整改通知书。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起5个工作日内，将处理结果及整改复查情况反馈县住建局。',
      },
    ],
  },

  // ---------------------------------------------------------------- 文明养犬
  {
    code: '330000-ZF-018',
    nameZh: '对在重点管理区内未办理养犬登记饲养犬只的行政处罚',
    category: '文明养犬',
    legalBasis:
      '《中华人民共和国动物防疫法》第三十条；《衢州市养犬管理条例》第十二条、第三十四条：重点管理区内饲养犬只应当凭狂犬病免疫证明办理养犬登记；未办理登记的，由综合行政执法部门责令限期改正，逾期不改正的，处以罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: BATCH_3,
        supervising: 'GAJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县公安局在犬只登记管理和治安巡查中发现未登记犬只的，5个工作日内移送养犬人身份信息、犬只照片及登记系统查询结果。',
        resultFeedbackDuty:
          '县综合行政执法局作出处理决定之日起7个工作日内，将处理结果反馈县公安局，以便其督促补办登记。',
      },
    ],
  },
  {
    code: '330000-ZF-019',
    nameZh: '对携带犬只出户未使用束犬链（绳）牵领的行政处罚',
    category: '文明养犬',
    legalBasis:
      '《中华人民共和国动物防疫法》第三十条；《衢州市养犬管理条例》第十九条、第三十六条：携带犬只出户应当使用束犬链（绳）牵领；违反规定的，由综合行政执法部门责令改正，可以处以罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: BATCH_3,
        supervising: 'GAJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县公安局在巡逻或接警中发现违规遛犬的，当日移送现场视频、当事人身份信息和犬只登记信息；犬只伤人的，另行依法处理。',
        resultFeedbackDuty: '处罚主体每月5日前将上月违规遛犬查处情况汇总反馈县公安局。',
      },
    ],
  },
  {
    code: '330000-ZF-020',
    nameZh: '对携带犬只进入禁止犬只进入的公共场所的行政处罚',
    category: '文明养犬',
    legalBasis:
      '《衢州市养犬管理条例》第二十条、第三十六条：禁止携带犬只进入学校、医院、室内公共场所等禁入区域；违反规定的，由综合行政执法部门责令改正，可以处以罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: BATCH_3,
        supervising: 'GAJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty: '县公安局接场所管理者报告后，当日移送现场视频、当事人身份信息和犬只登记信息。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起7个工作日内，将处理结果反馈县公安局。',
      },
    ],
  },
  {
    code: '330000-ZF-021',
    nameZh: '对携带犬只出户未即时清除犬只粪便的行政处罚',
    category: '文明养犬',
    legalBasis:
      '《衢州市养犬管理条例》第十九条、第三十七条：携带犬只出户的，应当即时清除犬只在户外排泄的粪便；违反规定的，由综合行政执法部门责令改正，可以处以罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: BATCH_3,
        supervising: 'GAJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty: '县公安局或社区网格员发现的，当日移送现场照片或视频及可识别的养犬人、犬只登记信息。',
        resultFeedbackDuty: '处罚主体每月5日前将上月查处情况汇总反馈县公安局。',
      },
    ],
  },

  // ---------------------------------------------------------------- 垃圾分类
  {
    code: '330000-ZF-022',
    nameZh: '对单位和个人未按规定分类投放生活垃圾的行政处罚',
    category: '垃圾分类',
    legalBasis:
      '《浙江省生活垃圾管理条例》第二十七条、第四十五条：单位和个人应当将生活垃圾分类投放到对应的收集容器；未分类投放的，由生活垃圾管理部门责令改正，情节严重的，对个人处二百元以上二千元以下罚款，对单位处五万元以上五十万元以下罚款。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZJJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty:
          '县住建局（垃圾分类办）在督查中发现单位未分类投放的，3个工作日内移送督查记录、投放点照片和此前劝导、责令改正的记录。',
        resultFeedbackDuty: '处罚主体每月5日前将上月查处情况及整改结果汇总反馈县住建局（垃圾分类办）。',
      },
      {
        effectiveFrom: '2024-01-01',
        reason: 'delegation_change',
        note: '湖镇镇、小南海镇、溪口镇、横山镇生活垃圾分类执法力量配备到位，经县政府同意，自2024年1月1日起向上述四镇增加本事项赋权。',
        supervising: 'ZJJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县住建局（垃圾分类办）在督查中发现单位未分类投放的，3个工作日内移送督查记录、投放点照片和此前劝导、责令改正的记录。',
        resultFeedbackDuty: '处罚主体每月5日前将上月查处情况及整改结果汇总反馈县住建局（垃圾分类办）。',
      },
    ],
  },
  {
    code: '330000-ZF-023',
    nameZh: '对生活垃圾收集、运输单位将已分类的生活垃圾混合收集、运输的行政处罚',
    category: '垃圾分类',
    legalBasis:
      '《浙江省生活垃圾管理条例》第三十三条、第四十七条：生活垃圾收集、运输单位应当分类收集、分类运输，不得将已分类的生活垃圾混合收集、运输；违反规定的，责令改正，处五千元以上五万元以下罚款。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局（环卫）发现混收混运的，3个工作日内移送车辆轨迹、收运台账、现场视频和收运单位经营许可资料。',
        resultFeedbackDuty: '县综合行政执法局作出处罚决定之日起7个工作日内反馈县住建局，供其纳入收运单位考核。',
      },
    ],
  },
  {
    code: '330000-ZF-024',
    nameZh: '对生活垃圾分类管理责任人未履行分类管理责任的行政处罚',
    category: '垃圾分类',
    legalBasis:
      '《浙江省生活垃圾管理条例》第二十八条、第四十六条：管理责任人应当设置分类收集容器、开展分类指导并制止混投行为；未履行管理责任的，责令改正，拒不改正的，处以罚款。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZJJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XK'],
        evidenceHandoffDuty:
          '县住建局（垃圾分类办）发现物业服务企业等管理责任人未履责的，5个工作日内移送督查通报、整改通知书和复查记录。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起7个工作日内，将处理结果反馈县住建局（垃圾分类办）。',
      },
    ],
  },
  {
    code: '330000-ZF-025',
    nameZh: '对产生、收集厨余垃圾的单位未将厨余垃圾交由具备相应资质条件的单位进行无害化处理的行政处罚',
    category: '垃圾分类',
    legalBasis:
      '《中华人民共和国固体废物污染环境防治法》第四十九条、第一百一十一条第一款第（五）项：产生、收集厨余垃圾的单位未将厨余垃圾交由具备相应资质条件的单位进行无害化处理的，由环境卫生主管部门责令改正，处以罚款，没收违法所得。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZJJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty:
          '县住建局（环卫）发现的，5个工作日内移送餐饮单位厨余垃圾产生台账、收运协议查询结果和现场检查记录。',
        resultFeedbackDuty: '处罚主体作出处罚决定之日起7个工作日内，将决定书反馈县住建局。',
      },
    ],
  },

  // ---------------------------------------------------------------- 生态环境
  {
    code: '330000-ZF-026',
    nameZh: '对未按规定取得证明在噪声敏感建筑物集中区域夜间进行产生噪声的建筑施工作业的行政处罚',
    category: '生态环境',
    legalBasis:
      '《中华人民共和国噪声污染防治法》第四十三条、第七十七条（原《环境噪声污染防治法》第三十条、第五十六条）：未按照规定取得证明，在噪声敏感建筑物集中区域夜间进行产生噪声的建筑施工作业的，责令改正，处一万元以上十万元以下的罚款；拒不改正的，可以责令暂停施工。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'STHJ',
        approving: 'STHJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '生态环境龙游分局接夜间施工噪声投诉后，当晚移送噪声监测数据、夜间施工证明查询结果及现场视频。',
        resultFeedbackDuty: '县综合行政执法局作出处罚决定之日起5个工作日内，将决定书反馈生态环境龙游分局并答复投诉人。',
      },
    ],
  },
  {
    code: '330000-ZF-027',
    nameZh: '对餐饮服务业经营者未安装油烟净化设施或者超过排放标准排放油烟的行政处罚',
    category: '生态环境',
    legalBasis:
      '《中华人民共和国大气污染防治法》第八十一条第一款、第一百一十八条第一款：排放油烟的餐饮服务业经营者未安装油烟净化设施、不正常使用油烟净化设施，超过排放标准排放油烟的，责令改正，处五千元以上五万元以下的罚款；拒不改正的，责令停业整治。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'SCJG',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty:
          '县市场监管局在餐饮单位日常检查中发现的，5个工作日内移送检查记录、现场照片和经营主体登记信息。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起7个工作日内，将处理结果反馈县市场监管局。',
      },
      {
        effectiveFrom: '2023-05-15',
        reason: 'dispute_ruling',
        note: '县综合行政执法指导办职责争议裁决（龙综执指裁〔2023〕2号）：县市场监管局与生态环境龙游分局对餐饮油烟日常监管互相推诿，裁定由生态环境龙游分局负责油烟排放监测和日常监管，县市场监管局在餐饮主体登记时告知油烟治理要求。',
        supervising: 'STHJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty:
          '生态环境龙游分局发现或接投诉的，5个工作日内移送油烟排放监测报告、净化设施运行检查记录和现场照片。',
        resultFeedbackDuty:
          '处罚主体作出处理决定之日起7个工作日内，将处理结果反馈生态环境龙游分局，并抄送县市场监管局。',
      },
    ],
  },
  {
    code: '330000-ZF-028',
    nameZh: '对在人口集中地区焚烧垃圾等产生有毒有害烟尘和恶臭气体物质的行政处罚',
    category: '生态环境',
    legalBasis:
      '《中华人民共和国大气污染防治法》第八十二条第一款、第一百一十九条第二款：在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革、垃圾等产生有毒有害烟尘和恶臭气体物质的，责令改正，对单位处一万元以上十万元以下的罚款，对个人处五百元以上二千元以下的罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'STHJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty: '生态环境龙游分局发现或接报的，当日移送现场照片视频、焚烧物残留取样记录和当事人信息。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起5个工作日内，将处理结果反馈生态环境龙游分局。',
      },
    ],
  },
  {
    code: '330000-ZF-029',
    nameZh: '对在禁止的时段和区域内露天烧烤食品或者为露天烧烤食品提供场地的行政处罚',
    category: '生态环境',
    legalBasis:
      '《中华人民共和国大气污染防治法》第八十一条第三款、第一百一十八条第三款：在当地人民政府禁止的时段和区域内露天烧烤食品或者为露天烧烤食品提供场地的，责令改正，没收烧烤工具和违法所得，并处五百元以上二万元以下的罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'STHJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '生态环境龙游分局接投诉或巡查发现的，当日移送现场照片视频、经营者信息及是否位于禁止区域的核实意见。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起5个工作日内，将处理结果反馈生态环境龙游分局并答复投诉人。',
      },
    ],
  },
  {
    code: '330000-ZF-030',
    nameZh: '对排水户未取得污水排入排水管网许可证向城镇排水设施排放污水的行政处罚',
    category: '生态环境',
    legalBasis:
      '《城镇排水与污水处理条例》第二十一条、第五十条：排水户未取得污水排入排水管网许可证向城镇排水设施排放污水的，由城镇排水主管部门责令停止违法行为，限期采取治理措施，补办许可证，可以处50万元以下罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局（排水管理）发现的，3个工作日内移送排水口检查记录、水质采样检测报告和排水许可查询结果。',
        resultFeedbackDuty:
          '县综合行政执法局作出处罚决定之日起7个工作日内，将决定书反馈县住建局，并抄送生态环境龙游分局。',
      },
    ],
  },
  {
    code: '330000-ZF-031',
    nameZh: '对在商业经营活动中使用高音广播喇叭等方法招揽顾客造成噪声污染的行政处罚',
    category: '生态环境',
    legalBasis:
      '《中华人民共和国噪声污染防治法》第六十四条、第八十一条第（二）项：在商业经营活动中使用高音广播喇叭或者采用其他持续反复发出高噪声的方法进行广告宣传的，责令改正，处五千元以上五万元以下的罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: BATCH_3,
        supervising: 'STHJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ'],
        evidenceHandoffDuty: '生态环境龙游分局接投诉的，2个工作日内移送投诉记录、噪声测量结果和经营者信息。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起5个工作日内，将处理结果反馈生态环境龙游分局并答复投诉人。',
      },
    ],
  },

  // ---------------------------------------------------------------- 市场监管
  {
    code: '330000-ZF-032',
    nameZh: '对在城市道路、公共场所从事无照经营的行政处罚',
    category: '市场监管',
    legalBasis:
      '《无证无照经营查处办法》第二条、第十三条：任何单位或者个人不得违反法律、法规规定从事无照经营；法律、行政法规对无照经营的处罚没有明确规定的，责令停止违法行为，没收违法所得，并处1万元以下的罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'SCJG',
        approving: 'SCJG',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty: '县市场监管局发现的，3个工作日内移送现场检查记录、经营者身份信息和营业执照登记查询结果。',
        resultFeedbackDuty:
          '处罚主体作出处理决定之日起7个工作日内，将处理结果反馈县市场监管局，便于其引导当事人办理登记。',
      },
    ],
  },
  {
    code: '330000-ZF-033',
    nameZh: '对食品摊贩未办理登记从事食品经营的行政处罚',
    category: '市场监管',
    legalBasis:
      '《中华人民共和国食品安全法》第三十六条；《浙江省食品小作坊小餐饮店小食杂店和食品摊贩管理规定》第二十二条、第三十九条：食品摊贩应当向所在地乡镇人民政府、街道办事处办理登记；未办理登记从事食品经营的，责令改正，可以处以罚款。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'SCJG',
        approving: 'SCJG',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-XK'],
        evidenceHandoffDuty: '县市场监管局（市场监管所）发现的，3个工作日内移送检查记录、摊点照片和登记卡查询结果。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起7个工作日内，将处理结果反馈县市场监管局。',
      },
    ],
  },

  // ---------------------------------------------------------------- 自然资源
  {
    code: '330000-ZF-034',
    nameZh: '对未经批准或者采取欺骗手段骗取批准非法占用土地的行政处罚',
    category: '自然资源',
    legalBasis:
      '《中华人民共和国土地管理法》第四十四条、第七十七条：未经批准或者采取欺骗手段骗取批准，非法占用土地的，责令退还非法占用的土地，限期拆除在非法占用的土地上新建的建筑物和其他设施，恢复土地原状，可以并处罚款。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZRZY',
        approving: 'ZRZY',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县自然资源和规划局在卫片执法或动态巡查中发现的，5个工作日内移送图斑核查记录、勘测定界图、用地审批查询结果及地类认定意见。',
        resultFeedbackDuty:
          '县综合行政执法局作出处罚决定之日起7个工作日内，将决定书及退还土地、拆除恢复情况反馈县自然资源和规划局，供其销号。',
      },
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: `${BATCH_3}：乡镇范围内非法占用土地（不含永久基本农田）的处罚权向湖镇镇、溪口镇赋权。`,
        supervising: 'ZRZY',
        approving: 'ZRZY',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-HZ', 'XZ-XK'],
        evidenceHandoffDuty:
          '县自然资源和规划局在卫片执法或动态巡查中发现的，5个工作日内移送图斑核查记录、勘测定界图、用地审批查询结果及地类认定意见；涉及永久基本农田的注明。',
        resultFeedbackDuty:
          '处罚主体作出处罚决定之日起7个工作日内，将决定书及退还土地、拆除恢复情况反馈县自然资源和规划局，供其销号。',
      },
    ],
  },
  {
    code: '330000-ZF-035',
    nameZh: '对农村村民未经批准或者采取欺骗手段骗取批准非法占用土地建住宅的行政处罚',
    category: '自然资源',
    legalBasis:
      '《中华人民共和国土地管理法》第六十二条、第七十八条：农村村民未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅的，责令退还非法占用的土地，限期拆除在非法占用的土地上新建的房屋。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZRZY',
        approving: 'ZRZY',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县自然资源和规划局（乡镇自然资源所）发现的，5个工作日内移送巡查记录、宅基地审批查询结果、占地面积测量结果和地类认定意见。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起7个工作日内，将处理结果及拆除情况反馈县自然资源和规划局。',
      },
    ],
  },
  {
    code: '330000-ZF-036',
    nameZh: '对未取得采矿许可证擅自开采建筑用砂石土资源的行政处罚',
    category: '自然资源',
    legalBasis:
      '《中华人民共和国矿产资源法》第三条、第三十九条：未取得采矿许可证擅自采矿的，责令停止开采、赔偿损失，没收采出的矿产品和违法所得，可以并处罚款。',
    transferBatch: '第三批',
    transferDate: '2023-07-01',
    boundaries: [
      {
        effectiveFrom: '2023-07-01',
        reason: 'batch',
        note: BATCH_3,
        supervising: 'ZRZY',
        approving: 'ZRZY',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县自然资源和规划局发现的，3个工作日内移送现场勘查记录、采挖范围测量图、矿产品数量估算和采矿许可查询结果；涉嫌非法采矿罪的，同时通报县公安局。',
        resultFeedbackDuty:
          '县综合行政执法局作出处罚决定之日起7个工作日内，将决定书及没收矿产品处置情况反馈县自然资源和规划局。',
      },
    ],
  },
  {
    code: '330000-ZF-037',
    nameZh: '对占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、取土等破坏种植条件的行政处罚',
    category: '自然资源',
    legalBasis:
      '《中华人民共和国土地管理法》第三十七条、第七十五条：占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、采矿、取土等，破坏种植条件的，责令限期改正或者治理，可以并处罚款；构成犯罪的，依法追究刑事责任。',
    transferBatch: '第二批',
    transferDate: '2022-03-01',
    boundaries: [
      {
        effectiveFrom: '2022-03-01',
        reason: 'batch',
        note: BATCH_2,
        supervising: 'ZRZY',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-HZ', 'XZ-XNH', 'XZ-HS'],
        evidenceHandoffDuty:
          '县自然资源和规划局发现的，5个工作日内移送现场勘查记录、破坏面积测量结果和耕地地类认定意见。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起7个工作日内，将处理结果及复垦治理情况反馈县自然资源和规划局。',
      },
    ],
  },

  // ---------------------------------------------------------------- 交通运输
  {
    code: '330000-ZF-038',
    nameZh: '对擅自占用城市道路的行政处罚',
    category: '交通运输',
    legalBasis:
      '《城市道路管理条例》第二十七条第（一）项、第四十二条：城市道路范围内禁止擅自占用或者挖掘城市道路；违反规定的，责令限期改正，可以处以2万元以下的罚款；造成损失的，应当依法承担赔偿责任。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH', 'XZ-HZ', 'XZ-XNH', 'XZ-XK', 'XZ-HS'],
        evidenceHandoffDuty:
          '县住建局（市政管理）发现的，3个工作日内移送巡查记录、占用位置和面积测量结果、现场照片及城市道路占用许可查询结果。',
        resultFeedbackDuty: '处罚主体作出处理决定之日起7个工作日内，将处理结果及道路恢复情况反馈县住建局。',
      },
    ],
  },
  {
    code: '330000-ZF-039',
    nameZh: '对机动车在城市道路人行道上违法停放的行政处罚',
    category: '交通运输',
    legalBasis:
      '《中华人民共和国道路交通安全法》第五十六条、第九十三条：机动车应当在规定地点停放，禁止在人行道上停放机动车（施划停车泊位的除外）；机动车驾驶人不在现场或者拒绝立即驶离，妨碍其他车辆、行人通行的，处二十元以上二百元以下罚款。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'GAJ',
        approving: null,
        penalising: 'ZFJ',
        delegatedTo: ['XZ-LZ', 'XZ-DH'],
        evidenceHandoffDuty: '县公安局（交警大队）共享人行道违停电子抓拍数据和车辆登记信息，每日推送一次。',
        resultFeedbackDuty: '处罚主体每月5日前将上月处罚数量和未处理车辆清单反馈县公安局（交警大队）。',
      },
    ],
  },
  {
    code: '330000-ZF-040',
    nameZh: '对运输渣土等散装物料的车辆未采取密闭措施防止物料遗撒的行政处罚',
    category: '交通运输',
    legalBasis:
      '《中华人民共和国大气污染防治法》第七十条、第一百一十六条：运输煤炭、垃圾、渣土、砂石、土方等散装物料的车辆，未采取密闭或者其他措施防止物料遗撒的，责令改正，处二千元以上二万元以下的罚款；拒不改正的，车辆不得上道路行驶。',
    transferBatch: '第一批',
    transferDate: '2019-07-01',
    boundaries: [
      {
        effectiveFrom: '2019-07-01',
        reason: 'batch',
        note: BATCH_1,
        supervising: 'ZJJ',
        approving: 'ZJJ',
        penalising: 'ZFJ',
        delegatedTo: [],
        evidenceHandoffDuty:
          '县住建局发现的，当日移送车辆号牌、行驶轨迹、现场照片视频及建筑垃圾运输核准信息；需要拦停车辆的，同时请求县公安局协助。',
        resultFeedbackDuty:
          '县综合行政执法局作出处罚决定之日起5个工作日内，将决定书反馈县住建局，供其纳入运输企业信用管理。',
      },
    ],
  },
];
