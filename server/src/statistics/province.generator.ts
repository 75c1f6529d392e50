import {
  chineseName,
  pick,
  rngUuid,
  seededRng,
  type ActivityContext,
  type GeneratorAgency,
  type Row,
} from './activity.generator.js';

/**
 * The counties of a province for the benchmark: each one a copy of the demo county's structure
 * (its bureau and squadrons, police, procuratorate, court, guidance office and line departments)
 * under the county's own name, with townships of its own and its own copy of the catalogue,
 * whose boundary versions name that county's agencies. Pure: it returns rows; the seeder writes
 * them. Township names and officers' names come from the seed, so a seed reproduces a province.
 */

/** Zhejiang's 90 county-level divisions (2021); the demo county, 龙游县, is one of them. */
export const ZHEJIANG_COUNTIES: readonly string[] = [
  '上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区', '富阳区', '临安区',
  '桐庐县', '淳安县', '建德市', '海曙区', '江北区', '北仑区', '镇海区', '鄞州区', '奉化区', '象山县',
  '宁海县', '余姚市', '慈溪市', '鹿城区', '龙湾区', '瓯海区', '洞头区', '永嘉县', '平阳县', '苍南县',
  '文成县', '泰顺县', '瑞安市', '乐清市', '龙港市', '吴兴区', '南浔区', '德清县', '长兴县', '安吉县',
  '南湖区', '秀洲区', '嘉善县', '海盐县', '海宁市', '平湖市', '桐乡市', '越城区', '柯桥区', '上虞区',
  '新昌县', '诸暨市', '嵊州市', '婺城区', '金东区', '武义县', '浦江县', '磐安县', '兰溪市', '义乌市',
  '东阳市', '永康市', '柯城区', '衢江区', '常山县', '开化县', '江山市', '定海区', '普陀区', '岱山县',
  '嵊泗县', '椒江区', '黄岩区', '路桥区', '三门县', '天台县', '仙居县', '温岭市', '临海市', '玉环市',
  '莲都区', '青田县', '缙云县', '遂昌县', '松阳县', '云和县', '庆元县', '景宁畲族自治县', '龙泉市', '龙游县',
]; // prettier-ignore

/** The demo county's name: the template's agency names carry it. */
export const TEMPLATE_COUNTY = '龙游县';

export interface TemplateAgency extends GeneratorAgency {
  nameEn: string;
  parentId: string | null;
}
export interface TemplateItem {
  id: string;
  code: string;
  nameZh: string;
  category: string;
  legalBasis: string;
  transferBatch: string;
  transferDate: string;
  pinyinInitials: string;
  version: {
    effectiveFrom: string;
    supervisingId: string | null;
    approvingId: string | null;
    penalisingId: string | null;
    delegated: boolean;
    evidenceHandoffDuty: string;
    resultFeedbackDuty: string;
    note: string;
  };
}
export interface CountyTemplate {
  agencies: TemplateAgency[];
  items: TemplateItem[];
}
export interface CountyBase {
  code: string;
  name: string;
  /** the county's guidance office: every agency of the county sits under it (county statistics) */
  rootId: string;
  rows: { agency: Row[]; app_user: Row[]; enforcement_item: Row[]; boundary_version: Row[] };
  context: ActivityContext;
}

const TOWN_FIRST = '新东西南北大小金石桥岭溪塘山湖泉龙凤白青长安永和平兴华杨柳梅竹松桃';
const TOWN_SECOND = '港口头坑田坞埠浦洲岗湾源塘林桥堰亭阳渡岙峰川里庄';
/** Officers to add per unit, as the demo county's seeder does: squadrons carry most cases. */
const OFFICERS_BY_UNIT: Record<string, number> = { ZFJ: 10, 'ZFJ-CQ': 20, 'ZFJ-HZ': 10, 'ZFJ-XK': 8 };
const OFFICERS_PER_DELEGATED_TOWNSHIP = 2;

/** Each agency's one standing user (a liaison, the township's staff…), by kind. */
const ROLE_BY_KIND: Record<string, string> = {
  enforcement_bureau: 'case_officer',
  bureau_squadron: 'case_officer',
  township: 'township_staff',
  procuratorate: 'prosecutor',
  court: 'court_clerk',
  guidance_office: 'guidance_arbiter',
};

export const countyCode = (index: number): string => `ZJ${String(index).padStart(2, '0')}`;

/**
 * County `index` (1-based; 0 is the demo county itself) built from the template. `createdAt`
 * is the instant stamped on its rows, `passwordHash` every generated user's (one hash: hashing
 * thousands of passwords would cost minutes and prove nothing).
 */
export function countyBase(
  template: CountyTemplate,
  index: number,
  seed: number,
  passwordHash: string,
  createdAt: string,
): CountyBase {
  const rng = seededRng(seed ^ (index * 0x9e3779b1));
  const code = countyCode(index);
  const others = ZHEJIANG_COUNTIES.filter((c) => c !== TEMPLATE_COUNTY);
  const name = others[(index - 1) % others.length] ?? `第${index}县`;
  const short = name.replace(/(畲族自治县|县|市|区)$/, '');
  const rename = (zh: string) => (zh.includes(TEMPLATE_COUNTY) ? zh.replaceAll(TEMPLATE_COUNTY, name) : `${name}${zh}`);
  const idOf = new Map<string, string>();
  const agencies: Row[] = [];
  const generator: GeneratorAgency[] = [];
  const kept = template.agencies.filter((a) => a.kind !== 'township');
  const root = kept.find((a) => a.kind === 'guidance_office') ?? kept[0];
  for (const a of kept) idOf.set(a.id, rngUuid(rng));
  const rootId = root ? (idOf.get(root.id) ?? '') : '';
  for (const a of kept) {
    const id = idOf.get(a.id) ?? '';
    const parent = a.parentId ? (idOf.get(a.parentId) ?? rootId) : id === rootId ? null : rootId;
    agencies.push({
      id,
      code: `${code}-${a.code}`,
      kind: a.kind,
      name_zh: rename(a.nameZh),
      name_en: `${a.nameEn.replace(/Longyou( County)?/g, '').trim()} (${code})`,
      delegated: a.delegated,
      parent_id: parent,
      created_at: createdAt,
    });
    generator.push({ id, code: a.code, kind: a.kind, nameZh: rename(a.nameZh), delegated: a.delegated });
  }
  // Townships of its own: 8 to 18, about three in four with delegated powers (赋权乡镇).
  const townships = 8 + Math.floor(rng() * 11);
  const names = new Set<string>();
  while (names.size < townships) {
    const stem = pick(rng, [...TOWN_FIRST]) + pick(rng, [...TOWN_SECOND]);
    const x = rng();
    names.add(names.size === 0 ? `${short}街道` : stem + (x < 0.15 ? '街道' : x < 0.3 ? '乡' : '镇'));
  }
  let t = 0;
  for (const zh of names) {
    t++;
    const id = rngUuid(rng);
    const delegated = t <= 2 || rng() < 0.75;
    const tcode = `XZ${String(t).padStart(2, '0')}`;
    agencies.push({
      id,
      code: `${code}-${tcode}`,
      kind: 'township',
      name_zh: zh,
      name_en: `Township ${t} (${code})`,
      delegated,
      parent_id: rootId || null,
      created_at: createdAt,
    });
    generator.push({ id, code: tcode, kind: 'township', nameZh: zh, delegated });
  }
  const delegatedIds = generator.filter((a) => a.kind === 'township' && a.delegated).map((a) => a.id);

  // One standing user per agency, then the officers who open matters.
  const users: Row[] = [];
  const user = (agency: GeneratorAgency, login: string, role: string) => {
    const id = rngUuid(rng);
    users.push({
      id,
      username: `${code}.${agency.code}.${login}`.toLowerCase(),
      display_name: chineseName(rng),
      password_hash: passwordHash,
      agency_id: agency.id,
      roles: `{${role}}`,
      active: true,
      failed_logins: 0,
      locked_until: null,
      created_at: createdAt,
      updated_at: createdAt,
    });
    return id;
  };
  const actorsByAgency = new Map<string, string>();
  const officers: ActivityContext['officers'] = [];
  for (const a of generator) actorsByAgency.set(a.id, user(a, 'lo', ROLE_BY_KIND[a.kind] ?? 'liaison_officer'));
  for (const a of generator) {
    const count =
      OFFICERS_BY_UNIT[a.code] ?? (a.kind === 'township' && a.delegated ? OFFICERS_PER_DELEGATED_TOWNSHIP : 0);
    const role = a.kind === 'township' ? 'township_staff' : 'case_officer';
    for (let i = 1; i <= count; i++)
      officers.push({ id: user(a, `zf${String(i).padStart(2, '0')}`, role), agencyId: a.id });
  }

  // The catalogue, adopted by the county: its own item rows, its agencies in the boundaries.
  const items: Row[] = [];
  const versions: Row[] = [];
  const generatorItems: ActivityContext['items'] = [];
  const mapped = (id: string | null) => (id ? (idOf.get(id) ?? null) : null);
  for (const item of template.items) {
    const id = rngUuid(rng);
    const versionId = rngUuid(rng);
    items.push({
      id,
      code: `${code}-${item.code}`,
      name_zh: item.nameZh,
      category: item.category,
      legal_basis: item.legalBasis,
      transfer_batch: item.transferBatch,
      transfer_date: item.transferDate,
      pinyin_initials: item.pinyinInitials,
      created_at: createdAt,
      updated_at: createdAt,
    });
    const v = item.version;
    versions.push({
      id: versionId,
      item_id: id,
      version: 1,
      effective_from: v.effectiveFrom,
      effective_to: null,
      supervising_id: mapped(v.supervisingId),
      approving_id: mapped(v.approvingId),
      penalising_id: mapped(v.penalisingId),
      delegated_township_ids: `{${v.delegated ? delegatedIds.join(',') : ''}}`,
      evidence_handoff_duty: v.evidenceHandoffDuty,
      result_feedback_duty: v.resultFeedbackDuty,
      reason: 'batch',
      note: v.note,
      cause_ref: null,
      created_by_id: null,
      created_at: createdAt,
    });
    generatorItems.push({ id, versionId });
  }
  return {
    code,
    name,
    rootId,
    rows: { agency: agencies, app_user: users, enforcement_item: items, boundary_version: versions },
    context: { agencies: generator, items: generatorItems, officers, actorsByAgency },
  };
}
