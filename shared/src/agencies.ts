/** Kinds of agency that take part in county enforcement coordination. */
export const AgencyKind = {
  EnforcementBureau: 'enforcement_bureau', // 综合行政执法局
  BureauSquadron: 'bureau_squadron', // 执法分局 / 中队
  PublicSecurity: 'public_security', // 公安局
  Procuratorate: 'procuratorate', // 检察院
  Court: 'court', // 法院
  GuidanceOffice: 'guidance_office', // 综合行政执法指导办
  LineDepartment: 'line_department', // 业务主管部门
  Township: 'township', // 乡镇（街道）; `delegated` marks 赋权乡镇
} as const;
export type AgencyKind = (typeof AgencyKind)[keyof typeof AgencyKind];
export const AGENCY_KINDS = Object.values(AgencyKind) as [AgencyKind, ...AgencyKind[]];

export const AGENCY_KIND_LABELS: Record<AgencyKind, { zh: string; en: string }> = {
  enforcement_bureau: { zh: '综合行政执法局', en: 'Comprehensive enforcement bureau' },
  bureau_squadron: { zh: '执法中队', en: 'Bureau squadron' },
  public_security: { zh: '公安局', en: 'Public security bureau' },
  procuratorate: { zh: '检察院', en: 'Procuratorate' },
  court: { zh: '法院', en: 'Court' },
  guidance_office: { zh: '综合行政执法指导办', en: 'Enforcement guidance office' },
  line_department: { zh: '业务主管部门', en: 'Line department' },
  township: { zh: '乡镇（街道）', en: 'Township / sub-district' },
};

/** Roles a user may hold; a user holds one or more. */
export const Role = {
  LiaisonOfficer: 'liaison_officer', // 联络员
  CaseOfficer: 'case_officer', // 办案人员
  AgencyHead: 'agency_head', // 单位负责人: signs off, receives escalations
  LegalReviewer: 'legal_reviewer', // 法制审核
  DisciplineContact: 'discipline_contact', // 纪检联络人: receives interference records
  TownshipStaff: 'township_staff', // 乡镇工作人员
  Prosecutor: 'prosecutor', // 检察官
  CourtClerk: 'court_clerk', // 法院书记员
  GuidanceArbiter: 'guidance_arbiter', // 指导办裁决人
  AgencyAdmin: 'agency_admin', // 单位管理员
  SystemAdmin: 'system_admin', // 系统管理员
  Auditor: 'auditor', // 审计员
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role) as [Role, ...Role[]];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  liaison_officer: { zh: '联络员', en: 'Liaison officer' },
  case_officer: { zh: '办案人员', en: 'Case officer' },
  agency_head: { zh: '单位负责人', en: 'Agency head' },
  legal_reviewer: { zh: '法制审核员', en: 'Legal reviewer' },
  discipline_contact: { zh: '纪检联络人', en: 'Discipline contact' },
  township_staff: { zh: '乡镇工作人员', en: 'Township staff' },
  prosecutor: { zh: '检察官', en: 'Prosecutor' },
  court_clerk: { zh: '法院书记员', en: 'Court clerk' },
  guidance_arbiter: { zh: '指导办裁决人', en: 'Guidance-office arbiter' },
  agency_admin: { zh: '单位管理员', en: 'Agency admin' },
  system_admin: { zh: '系统管理员', en: 'System admin' },
  auditor: { zh: '审计员', en: 'Auditor' },
};

/** Roles whose job is oversight across agencies; every such cross-agency read is audited. */
export const OVERSIGHT_ROLES: readonly Role[] = [Role.SystemAdmin, Role.Auditor];

/** Roles only a system admin may grant: they reach across agencies (the admin API and screen both read this). */
export const SYSTEM_GRANTED_ROLES: readonly Role[] = [Role.SystemAdmin, ...OVERSIGHT_ROLES, Role.AgencyAdmin];

/** Which roles make sense in which kind of agency; the admin API refuses the rest. */
export const ROLES_BY_AGENCY_KIND: Record<AgencyKind, readonly Role[]> = {
  enforcement_bureau: [
    Role.LiaisonOfficer,
    Role.CaseOfficer,
    Role.AgencyHead,
    Role.LegalReviewer,
    Role.DisciplineContact,
    Role.AgencyAdmin,
    Role.SystemAdmin,
    Role.Auditor,
  ],
  bureau_squadron: [Role.LiaisonOfficer, Role.CaseOfficer, Role.AgencyHead, Role.AgencyAdmin],
  public_security: [Role.LiaisonOfficer, Role.CaseOfficer, Role.AgencyHead, Role.DisciplineContact, Role.AgencyAdmin],
  procuratorate: [Role.LiaisonOfficer, Role.Prosecutor, Role.AgencyHead, Role.AgencyAdmin],
  court: [Role.LiaisonOfficer, Role.CourtClerk, Role.AgencyHead, Role.AgencyAdmin],
  guidance_office: [
    Role.LiaisonOfficer,
    Role.GuidanceArbiter,
    Role.AgencyHead,
    Role.AgencyAdmin,
    Role.SystemAdmin,
    Role.Auditor,
  ],
  line_department: [Role.LiaisonOfficer, Role.CaseOfficer, Role.AgencyHead, Role.DisciplineContact, Role.AgencyAdmin],
  township: [
    Role.LiaisonOfficer,
    Role.TownshipStaff,
    Role.CaseOfficer,
    Role.AgencyHead,
    Role.DisciplineContact,
    Role.AgencyAdmin,
  ],
};
