import { z } from 'zod';
import { BOUNDARY_CHANGE_REASONS, ITEM_CATEGORIES, isIsoDate, REFERRAL_KINDS } from './catalogue.js';
import { AGENCY_KINDS } from './agencies.js';

/** Payloads of the catalogue API: one definition for validation, OpenAPI, client and tests. */

export const IsoDate = z
  .string({ error: '须为日期 YYYY-MM-DD' })
  .refine(isIsoDate, { message: '须为日期 YYYY-MM-DD' })
  .describe('calendar date in China Standard Time, YYYY-MM-DD');

export const AgencyRef = z.object({
  id: z.uuid(),
  code: z.string(),
  nameZh: z.string(),
  kind: z.enum(AGENCY_KINDS),
});
export type AgencyRef = z.infer<typeof AgencyRef>;

export const ItemSearchQuery = z.object({
  q: z.string().trim().max(64).optional().describe('Chinese name, code, or pinyin initials (e.g. zyd)'),
  category: z.enum(ITEM_CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ItemSearchQuery = z.infer<typeof ItemSearchQuery>;

export const BoundaryVersionView = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    effectiveFrom: IsoDate,
    effectiveTo: IsoDate.nullable(),
    reason: z.enum(BOUNDARY_CHANGE_REASONS),
    note: z.string(),
    causeRef: z.string().nullable(),
    supervising: AgencyRef.nullable(),
    approving: AgencyRef.nullable(),
    penalising: AgencyRef.nullable(),
    delegatedTownships: z.array(AgencyRef),
    evidenceHandoffDuty: z.string(),
    resultFeedbackDuty: z.string(),
    createdBy: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'BoundaryVersion' });
export type BoundaryVersionView = z.infer<typeof BoundaryVersionView>;

export const ItemSummary = z
  .object({
    id: z.uuid(),
    code: z.string(),
    nameZh: z.string(),
    category: z.enum(ITEM_CATEGORIES),
    transferBatch: z.string(),
    transferDate: IsoDate,
    pinyinInitials: z.string(),
    current: BoundaryVersionView.nullable(),
  })
  .meta({ id: 'ItemSummary' });
export type ItemSummary = z.infer<typeof ItemSummary>;

export const ItemPage = z.object({ total: z.number().int(), items: z.array(ItemSummary) }).meta({ id: 'ItemPage' });
export type ItemPage = z.infer<typeof ItemPage>;

export const ItemDetail = ItemSummary.extend({
  legalBasis: z.string(),
  /** the boundary history, oldest first: the timeline */
  versions: z.array(BoundaryVersionView),
}).meta({ id: 'ItemDetail' });
export type ItemDetail = z.infer<typeof ItemDetail>;

export const ResponsibilityQuery = z.object({
  township: z.string().trim().min(1, '请指定乡镇（id 或编码）').describe('township agency id or code'),
  date: IsoDate.optional().describe('defaults to today'),
});
export type ResponsibilityQuery = z.infer<typeof ResponsibilityQuery>;

export const ResponsibilityAnswer = z
  .object({
    item: z.object({ id: z.uuid(), code: z.string(), nameZh: z.string() }),
    township: AgencyRef,
    date: IsoDate,
    version: BoundaryVersionView.pick({
      id: true,
      version: true,
      effectiveFrom: true,
      effectiveTo: true,
      reason: true,
      note: true,
    }),
    supervising: AgencyRef.nullable(),
    approving: AgencyRef.nullable(),
    penalising: AgencyRef.nullable(),
    rule: z.enum(['delegated_township', 'penalising_body', 'no_penalising_body']),
    /** why, in one sentence of Chinese */
    explanation: z.string(),
  })
  .meta({ id: 'ResponsibilityAnswer' });
export type ResponsibilityAnswer = z.infer<typeof ResponsibilityAnswer>;

const optionalAgency = z.uuid('须为单位 id').nullable().optional();

/** A new boundary version; fields left out carry over from the latest version. */
export const AmendBoundaryRequest = z
  .object({
    effectiveFrom: IsoDate,
    reason: z.enum(BOUNDARY_CHANGE_REASONS, { error: '请选择变更原因' }),
    note: z.string({ error: '请说明变更理由' }).trim().min(2, '请说明变更理由').max(1000),
    causeRef: z.string().trim().max(128).nullable().optional().describe('what caused it, e.g. a dispute id'),
    supervisingAgencyId: optionalAgency,
    approvingAgencyId: optionalAgency,
    penalisingAgencyId: optionalAgency,
    delegatedTownshipIds: z.array(z.uuid('须为单位 id')).max(100).optional(),
    evidenceHandoffDuty: z.string().trim().max(2000).optional(),
    resultFeedbackDuty: z.string().trim().max(2000).optional(),
  })
  .meta({ id: 'AmendBoundaryRequest' });
export type AmendBoundaryRequest = z.infer<typeof AmendBoundaryRequest>;

/** Grant or take back one township's delegation from a date: a new version. */
export const DelegationChangeRequest = z
  .object({
    townshipId: z.uuid('须为乡镇 id'),
    action: z.enum(['grant', 'revoke'], { error: "须为 'grant' 或 'revoke'" }),
    effectiveFrom: IsoDate,
    note: z.string({ error: '请说明变更理由' }).trim().min(2, '请说明变更理由').max(1000),
  })
  .meta({ id: 'DelegationChangeRequest' });
export type DelegationChangeRequest = z.infer<typeof DelegationChangeRequest>;

export const ImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  format: z.enum(['xlsx', 'csv']).optional().describe('defaults to the file name or content type'),
  importId: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional()
    .describe('client-chosen id that progress events carry'),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

export const ImportRowError = z.object({ row: z.number().int(), column: z.string().optional(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportChange = z.object({
  row: z.number().int(),
  code: z.string(),
  nameZh: z.string(),
  action: z.enum(['create', 'new_version', 'update_item', 'unchanged']),
  effectiveFrom: IsoDate,
});
export type ImportChange = z.infer<typeof ImportChange>;

export const ImportResult = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean(),
    rows: z.number().int(),
    created: z.number().int(),
    newVersions: z.number().int(),
    updatedItems: z.number().int(),
    unchanged: z.number().int(),
    errors: z.array(ImportRowError),
    changes: z.array(ImportChange),
    elapsedMs: z.number(),
  })
  .meta({ id: 'ImportResult' });
export type ImportResult = z.infer<typeof ImportResult>;

export const ExportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

export const BlindSpotReport = z
  .object({
    date: IsoDate,
    noSupervisingAgency: z.array(z.object({ code: z.string(), nameZh: z.string() })),
    delegatedWithoutTownshipStaff: z.array(z.object({ code: z.string(), nameZh: z.string(), township: AgencyRef })),
    changedRecently: z.array(
      z.object({
        code: z.string(),
        nameZh: z.string(),
        effectiveFrom: IsoDate,
        reason: z.enum(BOUNDARY_CHANGE_REASONS),
      }),
    ),
    noPenalisingBody: z.array(z.object({ code: z.string(), nameZh: z.string(), townships: z.array(AgencyRef) })),
  })
  .meta({ id: 'BlindSpotReport' });
export type BlindSpotReport = z.infer<typeof BlindSpotReport>;

export const RoutePreviewQuery = z.object({
  kind: z.enum(REFERRAL_KINDS),
  township: z.string().trim().min(1),
  date: IsoDate.optional(),
});
export type RoutePreviewQuery = z.infer<typeof RoutePreviewQuery>;

/** The columns county offices already keep, in order: import reads them, export writes them. */
export const CATALOGUE_COLUMNS = [
  '事项编码',
  '事项名称',
  '类别',
  '法律依据',
  '划转批次',
  '监管部门',
  '审批部门',
  '处罚主体',
  '赋权乡镇',
  '生效日期',
] as const;
export type CatalogueColumn = (typeof CATALOGUE_COLUMNS)[number];
