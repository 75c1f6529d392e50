import type { EntityManager } from '@mikro-orm/postgresql';
import type { BoundaryVersion, ReferralKind } from '@xietong/shared';
import type { AuditHash } from '../audit/audit-chain.js';
import type { AuditRow } from '../audit/audit.writer.js';
import { VERSION_COLUMNS_SQL, versionFromRow, type VersionRow } from '../catalogue/catalogue.views.js';
import type { StartingClock } from '../clocks/clocks.service.js';
import type { OutboxTopic } from '../outbox/outbox.service.js';

/**
 * The hot path of the product, a new referral, written without the unit of work: the rows it
 * makes are known in advance, so the creates that arrive together are read in one statement and
 * written in one more (see `MicroBatch`), instead of a transaction of a dozen statements each.
 */

type Connection = ReturnType<EntityManager['getConnection']>;

/** What deciding a referral about a matter needs: the matter, the agencies on it, its item's boundary versions. */
export interface MatterFacts {
  id: string;
  number: string;
  townshipId: string;
  majorDifficult: boolean;
  publicInterestClue: boolean;
  suspectedCrime: boolean;
  itemCode: string;
  itemName: string;
  /** the agencies on the matter, the origin first */
  partyAgencyIds: string[];
  versions: BoundaryVersion[];
}

interface MatterFactsRow {
  id: string;
  number: string;
  township_id: string;
  major_difficult: boolean;
  public_interest_clue: boolean;
  suspected_crime: boolean;
  item_code: string;
  item_name: string;
  parties: string[];
  versions: VersionRow[] | null;
}

/** The facts of each matter asked for (null where there is no such matter), in one statement. */
export async function readMatterFacts(connection: Connection, ids: string[]): Promise<(MatterFacts | null)[]> {
  const rows = await connection.execute<MatterFactsRow[]>(
    `select m.id, m.number, m.township_id, m.major_difficult, m.public_interest_clue, m.suspected_crime,
            i.code item_code, i.name_zh item_name,
            array(select a.agency_id::text from matter_agency a where a.matter_id = m.id order by a.since, a.id) parties,
            (select json_agg(v order by v.effective_from)
               from (select ${VERSION_COLUMNS_SQL} from boundary_version v where v.item_id = i.id) v) versions
       from matter m join enforcement_item i on i.id = m.item_id
      where m.id = any(?::uuid[])`,
    [`{${[...new Set(ids)].join(',')}}`],
  );
  const byId = new Map(
    rows.map((r): [string, MatterFacts] => [
      r.id,
      {
        id: r.id,
        number: r.number,
        townshipId: r.township_id,
        majorDifficult: r.major_difficult,
        publicInterestClue: r.public_interest_clue,
        suspectedCrime: r.suspected_crime,
        itemCode: r.item_code,
        itemName: r.item_name,
        partyAgencyIds: r.parties,
        versions: (r.versions ?? []).map(versionFromRow),
      },
    ]),
  );
  return ids.map((id) => byId.get(id) ?? null);
}

/** Every row one new referral makes, decided in advance. */
export interface CreationPlan {
  referral: {
    id: string;
    matterId: string;
    kind: ReferralKind;
    fromAgencyId: string;
    toAgencyId: string;
    informAgencyIds: string[];
    state: string;
    routingRule: string;
    overrideReason: string | null;
    createdById: string;
    at: Date;
  };
  timeline: {
    id: string;
    action: string;
    fromState: string | null;
    toState: string | null;
    detail: Record<string, unknown>;
  }[];
  /** agencies joining the matter (the receiver and those informed, when it is delivered) */
  joins: { id: string; agencyId: string; role: 'receiver' | 'informed' }[];
  clocks: (StartingClock & { id: string })[];
  outbox: { topic: OutboxTopic; payload: Record<string, unknown> }[];
  /** audit entries of the referral and its clocks; a join's entry is added only if the join is new */
  audit: AuditRow[];
  joinAudit: Map<string, AuditRow>;
}

/**
 * One statement, its own commit, for any number of new referrals: the referrals, their timeline
 * entries, the agencies joining their matters (a join already there is skipped, and so is its
 * audit entry), their clocks, their outbox rows (in order) and their audit entries. Stored
 * together or not at all.
 */
export async function writeCreations(connection: Connection, plans: CreationPlan[], hash: AuditHash): Promise<void> {
  const iso = (d: Date) => d.toISOString();
  let ord = 0;
  const auditOf = (row: AuditRow, at: Date, joinId: string | null = null) => ({
    ord: ord++,
    join_id: joinId,
    at: iso(at),
    actor_id: row.actorId,
    actor_name: row.actorName,
    agency_id: row.agencyId,
    action: row.action,
    object_type: row.objectType,
    object_id: row.objectId,
    before: row.before,
    after: row.after,
    request_id: row.requestId,
    client_address: row.clientAddress,
  });
  const doc = {
    referrals: plans.map(({ referral: r }) => ({
      id: r.id,
      matter_id: r.matterId,
      kind: r.kind,
      from_agency_id: r.fromAgencyId,
      to_agency_id: r.toAgencyId,
      inform_agency_ids: r.informAgencyIds,
      state: r.state,
      routing_rule: r.routingRule,
      override_reason: r.overrideReason,
      created_by_id: r.createdById,
      at: iso(r.at),
    })),
    timeline: plans.flatMap(({ referral: r, timeline }) =>
      timeline.map((t) => ({
        ord: ord++,
        id: t.id,
        matter_id: r.matterId,
        referral_id: r.id,
        actor_id: r.createdById,
        agency_id: r.fromAgencyId,
        action: t.action,
        from_state: t.fromState,
        to_state: t.toState,
        detail: t.detail,
        at: iso(r.at),
      })),
    ),
    joins: plans.flatMap(({ referral: r, joins }) =>
      joins.map((j) => ({
        ord: ord++,
        id: j.id,
        matter_id: r.matterId,
        agency_id: j.agencyId,
        role: j.role,
        at: iso(r.at),
      })),
    ),
    clocks: plans.flatMap(({ referral: r, clocks }) =>
      clocks.map((c) => ({
        id: c.id,
        referral_id: r.id,
        code: c.code,
        state: c.state,
        started_at: iso(c.startedAt),
        deadline: iso(c.deadline),
        warn_at: iso(c.warnAt),
        escalate_at: iso(c.escalateAt),
        provisional: c.provisional,
        generation: c.generation,
      })),
    ),
    outbox: plans.flatMap(({ referral: r, outbox }) =>
      outbox.map((o) => ({ ord: ord++, topic: o.topic, payload: o.payload, at: iso(r.at) })),
    ),
    audit: plans.flatMap(({ referral: r, audit, joinAudit }) => [
      ...audit.map((a) => auditOf(a, r.at)),
      ...[...joinAudit].map(([joinId, a]) => auditOf(a, r.at, joinId)),
    ]),
  };
  await connection.execute(
    `with doc as (select ?::jsonb d),
     r as (
       insert into referral (id, matter_id, kind, from_agency_id, to_agency_id, inform_agency_ids, state,
         routing_rule, override_reason, created_by_id, created_at, updated_at, revision)
       select x.id, x.matter_id, x.kind, x.from_agency_id, x.to_agency_id, x.inform_agency_ids, x.state,
              x.routing_rule, x.override_reason, x.created_by_id, x.at, x.at, 1
         from doc, jsonb_to_recordset(doc.d->'referrals') x(id uuid, matter_id uuid, kind referral_kind,
           from_agency_id uuid, to_agency_id uuid, inform_agency_ids uuid[], state text, routing_rule text,
           override_reason text, created_by_id uuid, at timestamptz)
       returning id),
     t as (
       insert into timeline_entry (id, matter_id, referral_id, actor_id, agency_id, action, from_state, to_state, detail, at)
       select x.id, x.matter_id, x.referral_id, x.actor_id, x.agency_id, x.action, x.from_state, x.to_state, x.detail, x.at
         from doc, jsonb_to_recordset(doc.d->'timeline') x(ord int, id uuid, matter_id uuid, referral_id uuid,
           actor_id uuid, agency_id uuid, action text, from_state text, to_state text, detail jsonb, at timestamptz)
        order by x.ord),
     j as (
       insert into matter_agency (id, matter_id, agency_id, role, since)
       select x.id, x.matter_id, x.agency_id, x.role, x.at
         from doc, jsonb_to_recordset(doc.d->'joins') x(ord int, id uuid, matter_id uuid, agency_id uuid, role text, at timestamptz)
        order by x.ord
       on conflict (matter_id, agency_id) do nothing
       returning id),
     c as (
       insert into referral_clock (id, referral_id, code, state, started_at, deadline, warn_at, escalate_at, provisional, generation)
       select x.id, x.referral_id, x.code, x.state, x.started_at, x.deadline, x.warn_at, x.escalate_at, x.provisional, x.generation
         from doc, jsonb_to_recordset(doc.d->'clocks') x(id uuid, referral_id uuid, code clock_code, state clock_state,
           started_at timestamptz, deadline timestamptz, warn_at timestamptz, escalate_at timestamptz,
           provisional boolean, generation int)),
     o as (
       insert into outbox_message (topic, payload, created_at, enqueued_at)
       select x.topic, x.payload, x.at, null
         from doc, jsonb_to_recordset(doc.d->'outbox') x(ord int, topic text, payload jsonb, at timestamptz)
        order by x.ord),
     a as (
       insert into audit_pending (at, actor_id, actor_name, agency_id, action, object_type, object_id, before, after,
         request_id, client_address, hash_alg)
       select x.at, x.actor_id, x.actor_name, x.agency_id, x.action, x.object_type, x.object_id, x.before, x.after,
              x.request_id, x.client_address, ?
         from doc, jsonb_to_recordset(doc.d->'audit') x(ord int, join_id uuid, at timestamptz, actor_id uuid,
           actor_name text, agency_id uuid, action text, object_type text, object_id text, before jsonb, after jsonb,
           request_id text, client_address text)
        where x.join_id is null or x.join_id in (select id from j)
        order by x.ord)
     select count(*)::int n from r`,
    [JSON.stringify(doc), hash],
    'run',
  );
}
