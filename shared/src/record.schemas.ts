import { z } from 'zod';
import { IsoDate, AgencyRef } from './catalogue.schemas.js';
import { DISCLOSURE_STATES, INTERFERENCE_METHODS } from './record.js';

/** Payloads of the record: audit trail, interference records, public disclosure. */

// ---------------------------------------------------------------------------------------------
// Audit trail

export const AuditRangeQuery = z
  .object({
    from: IsoDate.describe('first day (China time), inclusive'),
    to: IsoDate.describe('last day (China time), inclusive'),
    format: z.enum(['csv', 'xlsx'], { error: "格式须为 'csv' 或 'xlsx'" }).default('xlsx'),
  })
  .refine((q) => q.from <= q.to, { message: '结束日期不能早于开始日期', path: ['to'] });
export type AuditRangeQuery = z.infer<typeof AuditRangeQuery>;

export const AuditListQuery = z.object({
  objectId: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeSeq: z.coerce.number().int().min(1).optional().describe('page backwards from this sequence number'),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditEntryView = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    agencyId: z.string().nullable(),
    action: z.string(),
    objectType: z.string(),
    objectId: z.string().nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    requestId: z.string().nullable(),
    clientAddress: z.string().nullable(),
    hashAlg: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditVerifyResult = z
  .object({
    ok: z.boolean(),
    entries: z.number().int().describe('entries checked before the first break (all of them when ok)'),
    pending: z
      .number()
      .int()
      .describe(
        'entries committed with their change but not linked into the chain yet (the chain writer takes them next)',
      ),
    algorithms: z.array(z.string()),
    retentionDays: z.number().int(),
    firstBreak: z
      .object({
        seq: z.number().int(),
        problem: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap']),
        message: z.string(),
      })
      .nullable(),
  })
  .meta({ id: 'AuditVerifyResult' });
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

// ---------------------------------------------------------------------------------------------
// Interference records (干预记录)

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max);

export const CreateInterferenceRequest = z
  .object({
    matterId: z.uuid('须为案件 id').optional(),
    channelId: z.uuid('须为频道 id').optional(),
    personName: text('过问或干预人姓名', 64),
    personPosition: text('其职务', 128),
    personOrganisation: z.string().trim().max(128).optional(),
    /** when the person is a user of the platform: then they never see the record */
    personUserId: z.uuid('须为用户 id').optional(),
    occurredAt: z.iso.datetime({ offset: true, error: '须为时间，如 2026-11-30T09:30:00+08:00' }),
    method: z.enum(INTERFERENCE_METHODS, { error: `方式须为：${INTERFERENCE_METHODS.join(', ')}` }),
    content: text('过问或干预的内容', 5000),
  })
  .refine((r) => r.matterId !== undefined || r.channelId !== undefined, {
    message: '须从案件或频道记录（matterId 或 channelId）',
    path: ['matterId'],
  })
  .meta({ id: 'CreateInterferenceRequest' });
export type CreateInterferenceRequest = z.infer<typeof CreateInterferenceRequest>;

export const InterferenceView = z
  .object({
    id: z.uuid(),
    agency: AgencyRef,
    recordedBy: z.object({ id: z.uuid(), displayName: z.string() }),
    matter: z.object({ id: z.uuid(), number: z.string() }).nullable(),
    channelId: z.string().nullable(),
    personName: z.string(),
    personPosition: z.string(),
    personOrganisation: z.string().nullable(),
    personUserId: z.string().nullable(),
    occurredAt: z.string(),
    method: z.enum(INTERFERENCE_METHODS),
    content: z.string(),
    sealedAt: z.string(),
  })
  .meta({ id: 'InterferenceRecord' });
export type InterferenceView = z.infer<typeof InterferenceView>;

export const QuarterQuery = z.object({
  year: z.coerce.number({ error: '请填写年份' }).int().min(2000).max(2099),
  quarter: z.coerce.number({ error: '请填写季度' }).int().min(1, '季度为 1–4').max(4, '季度为 1–4'),
});
export type QuarterQuery = z.infer<typeof QuarterQuery>;

export const InterferenceReport = z
  .object({
    year: z.number().int(),
    quarter: z.number().int(),
    from: IsoDate,
    until: IsoDate,
    agencies: z.array(
      z.object({
        agency: AgencyRef,
        count: z.number().int(),
        byMethod: z.record(z.string(), z.number().int()),
        /** 零报告: nothing was recorded in the quarter */
        zeroReport: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'InterferenceReport' });
export type InterferenceReport = z.infer<typeof InterferenceReport>;

// ---------------------------------------------------------------------------------------------
// Public disclosure (行政执法公示)

/** What the public sees: personal data already masked by rule. */
export const PublicDisclosure = z
  .object({
    id: z.uuid(),
    matterNumber: z.string(),
    itemName: z.string(),
    partyName: z.string(),
    partyIdNumber: z.string().nullable(),
    township: z.string(),
    decision: z.string(),
    decidedOn: IsoDate,
    agencyName: z.string(),
    publishedOn: IsoDate,
  })
  .meta({ id: 'PublicDisclosure' });
export type PublicDisclosure = z.infer<typeof PublicDisclosure>;

export const PublicDisclosureQuery = z.object({
  q: z.string().trim().max(64).optional().describe('matter number or item name'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type PublicDisclosureQuery = z.infer<typeof PublicDisclosureQuery>;

export const PublicDisclosureList = z
  .object({ total: z.number().int(), disclosures: z.array(PublicDisclosure) })
  .meta({ id: 'PublicDisclosureList' });
export type PublicDisclosureList = z.infer<typeof PublicDisclosureList>;

export const DisclosureView = z
  .object({
    id: z.uuid(),
    state: z.enum(DISCLOSURE_STATES),
    matter: z.object({ id: z.uuid(), number: z.string() }),
    referralId: z.string().nullable(),
    agency: AgencyRef,
    decidedOn: IsoDate,
    dueOn: IsoDate,
    late: z.boolean(),
    /** what will be (or was) published, masked */
    preview: PublicDisclosure.omit({ id: true, publishedOn: true }),
    publishedAt: z.string().nullable(),
    withdrawnAt: z.string().nullable(),
    withdrawReason: z.string().nullable(),
  })
  .meta({ id: 'Disclosure' });
export type DisclosureView = z.infer<typeof DisclosureView>;

export const DisclosureListQuery = z.object({
  state: z.enum(DISCLOSURE_STATES).optional(),
  late: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type DisclosureListQuery = z.infer<typeof DisclosureListQuery>;

export const WithdrawDisclosureRequest = z
  .object({ reason: text('撤回理由', 2000).pipe(z.string().min(4, '请写明撤回理由（至少 4 个字）')) })
  .meta({ id: 'WithdrawDisclosureRequest' });
export type WithdrawDisclosureRequest = z.infer<typeof WithdrawDisclosureRequest>;
