import { AgencyKind, Role, type AgencyKind as Kind, type Role as R } from '@xietong/shared';

/**
 * The demo county, modelled on the handbook's report (龙游县): the bureau and its squadrons,
 * the judicial bodies, four line departments, six delegated townships and two that are not.
 */
export interface SeedAgency {
  code: string;
  kind: Kind;
  nameZh: string;
  nameEn: string;
  delegated?: boolean;
  parent?: string;
}

export const DEMO_PASSWORD = 'Xietong@2026';

export const SEED_AGENCIES: SeedAgency[] = [
  {
    code: 'ZFJ',
    kind: AgencyKind.EnforcementBureau,
    nameZh: '龙游县综合行政执法局',
    nameEn: 'Longyou County Comprehensive Administrative Enforcement Bureau',
  },
  {
    code: 'ZFJ-CQ',
    kind: AgencyKind.BureauSquadron,
    nameZh: '城区执法中队',
    nameEn: 'Urban Enforcement Squadron',
    parent: 'ZFJ',
  },
  {
    code: 'ZFJ-HZ',
    kind: AgencyKind.BureauSquadron,
    nameZh: '湖镇执法中队',
    nameEn: 'Huzhen Enforcement Squadron',
    parent: 'ZFJ',
  },
  {
    code: 'ZFJ-XK',
    kind: AgencyKind.BureauSquadron,
    nameZh: '溪口执法中队',
    nameEn: 'Xikou Enforcement Squadron',
    parent: 'ZFJ',
  },
  {
    code: 'GAJ',
    kind: AgencyKind.PublicSecurity,
    nameZh: '龙游县公安局',
    nameEn: 'Longyou County Public Security Bureau',
  },
  {
    code: 'JCY',
    kind: AgencyKind.Procuratorate,
    nameZh: '龙游县人民检察院',
    nameEn: "Longyou County People's Procuratorate",
  },
  { code: 'FY', kind: AgencyKind.Court, nameZh: '龙游县人民法院', nameEn: "Longyou County People's Court" },
  {
    code: 'ZDB',
    kind: AgencyKind.GuidanceOffice,
    nameZh: '龙游县综合行政执法指导办公室',
    nameEn: 'Longyou County Enforcement Guidance Office',
  },
  {
    code: 'ZJJ',
    kind: AgencyKind.LineDepartment,
    nameZh: '龙游县住房和城乡建设局',
    nameEn: 'Housing and Urban-Rural Development Bureau',
  },
  {
    code: 'ZRZY',
    kind: AgencyKind.LineDepartment,
    nameZh: '龙游县自然资源和规划局',
    nameEn: 'Natural Resources and Planning Bureau',
  },
  {
    code: 'STHJ',
    kind: AgencyKind.LineDepartment,
    nameZh: '衢州市生态环境局龙游分局',
    nameEn: 'Ecology and Environment Bureau, Longyou Branch',
  },
  {
    code: 'SCJG',
    kind: AgencyKind.LineDepartment,
    nameZh: '龙游县市场监督管理局',
    nameEn: 'Market Supervision Administration',
  },
  { code: 'XZ-LZ', kind: AgencyKind.Township, nameZh: '龙洲街道', nameEn: 'Longzhou Sub-district', delegated: true },
  { code: 'XZ-DH', kind: AgencyKind.Township, nameZh: '东华街道', nameEn: 'Donghua Sub-district', delegated: true },
  { code: 'XZ-HZ', kind: AgencyKind.Township, nameZh: '湖镇镇', nameEn: 'Huzhen Town', delegated: true },
  { code: 'XZ-XNH', kind: AgencyKind.Township, nameZh: '小南海镇', nameEn: 'Xiaonanhai Town', delegated: true },
  { code: 'XZ-XK', kind: AgencyKind.Township, nameZh: '溪口镇', nameEn: 'Xikou Town', delegated: true },
  { code: 'XZ-HS', kind: AgencyKind.Township, nameZh: '横山镇', nameEn: 'Hengshan Town', delegated: true },
  { code: 'XZ-TS', kind: AgencyKind.Township, nameZh: '塔石镇', nameEn: 'Tashi Town', delegated: false },
  { code: 'XZ-MX', kind: AgencyKind.Township, nameZh: '庙下乡', nameEn: 'Miaoxia Township', delegated: false },
];

export interface SeedUser {
  username: string;
  displayName: string;
  agency: string;
  roles: R[];
}

export const SEED_USERS: SeedUser[] = [
  { username: 'sysadmin', displayName: '陈志强', agency: 'ZFJ', roles: [Role.SystemAdmin] },
  { username: 'zfj.head', displayName: '徐立新', agency: 'ZFJ', roles: [Role.AgencyHead] },
  { username: 'zfj.liaison', displayName: '吴晓燕', agency: 'ZFJ', roles: [Role.LiaisonOfficer] },
  { username: 'zfj.officer', displayName: '周建华', agency: 'ZFJ', roles: [Role.CaseOfficer] },
  { username: 'zfj.legal', displayName: '郑丽萍', agency: 'ZFJ', roles: [Role.LegalReviewer] },
  { username: 'zfj.discipline', displayName: '何文军', agency: 'ZFJ', roles: [Role.DisciplineContact] },
  { username: 'zfj.admin', displayName: '叶海峰', agency: 'ZFJ', roles: [Role.AgencyAdmin] },
  { username: 'auditor', displayName: '蒋美玲', agency: 'ZFJ', roles: [Role.Auditor] },
  { username: 'cq.officer', displayName: '王鹏飞', agency: 'ZFJ-CQ', roles: [Role.CaseOfficer] },
  { username: 'cq.head', displayName: '刘国庆', agency: 'ZFJ-CQ', roles: [Role.AgencyHead] },
  { username: 'hz.officer', displayName: '杨俊', agency: 'ZFJ-HZ', roles: [Role.CaseOfficer] },
  { username: 'xk.officer', displayName: '黄卫东', agency: 'ZFJ-XK', roles: [Role.CaseOfficer] },
  { username: 'gaj.liaison', displayName: '赵永刚', agency: 'GAJ', roles: [Role.LiaisonOfficer] },
  { username: 'gaj.officer', displayName: '孙磊', agency: 'GAJ', roles: [Role.CaseOfficer] },
  { username: 'gaj.head', displayName: '钱振华', agency: 'GAJ', roles: [Role.AgencyHead] },
  { username: 'jcy.prosecutor', displayName: '林静', agency: 'JCY', roles: [Role.Prosecutor] },
  { username: 'jcy.liaison', displayName: '朱红梅', agency: 'JCY', roles: [Role.LiaisonOfficer] },
  { username: 'fy.clerk', displayName: '胡雪', agency: 'FY', roles: [Role.CourtClerk] },
  { username: 'zdb.arbiter', displayName: '余建明', agency: 'ZDB', roles: [Role.GuidanceArbiter] },
  { username: 'zdb.head', displayName: '方志远', agency: 'ZDB', roles: [Role.AgencyHead] },
  { username: 'zjj.liaison', displayName: '邵春华', agency: 'ZJJ', roles: [Role.LiaisonOfficer] },
  { username: 'zrzy.liaison', displayName: '汪晓东', agency: 'ZRZY', roles: [Role.LiaisonOfficer] },
  { username: 'sthj.liaison', displayName: '毛佳琪', agency: 'STHJ', roles: [Role.LiaisonOfficer] },
  { username: 'scjg.liaison', displayName: '姜伟', agency: 'SCJG', roles: [Role.LiaisonOfficer] },
  { username: 'lz.staff', displayName: '祝小芳', agency: 'XZ-LZ', roles: [Role.TownshipStaff] },
  { username: 'lz.head', displayName: '傅建平', agency: 'XZ-LZ', roles: [Role.AgencyHead] },
  { username: 'lz.admin', displayName: '程琳', agency: 'XZ-LZ', roles: [Role.AgencyAdmin] },
  { username: 'dh.staff', displayName: '郭晨', agency: 'XZ-DH', roles: [Role.TownshipStaff] },
  { username: 'hz.staff', displayName: '应国良', agency: 'XZ-HZ', roles: [Role.TownshipStaff, Role.LiaisonOfficer] },
  { username: 'xnh.staff', displayName: '童丽娟', agency: 'XZ-XNH', roles: [Role.TownshipStaff] },
  { username: 'xk.staff', displayName: '雷振宇', agency: 'XZ-XK', roles: [Role.TownshipStaff] },
  { username: 'hs.staff', displayName: '华晓军', agency: 'XZ-HS', roles: [Role.TownshipStaff] },
  { username: 'ts.staff', displayName: '劳志勇', agency: 'XZ-TS', roles: [Role.TownshipStaff] },
  { username: 'mx.staff', displayName: '蓝秀英', agency: 'XZ-MX', roles: [Role.TownshipStaff] },
];
