import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  AgencyKind,
  allowedActions,
  decide,
  isDispute,
  LEGAL_CLOCKS,
  todayInChina,
  type ActionContext,
  type CreateMatterRequest,
  type CreateReferralRequest,
  type MatterList,
  type MatterListQuery,
  type MatterView,
  type ReferralAction,
  type ReferralKind,
  type ReferralActionRequest,
  type ReferralList,
  type ReferralListQuery,
  type ReferralSide,
  type ReferralState,
  type ReferralView,
  type TimelineEntryView,
  MAJOR_DECISION_LABELS,
  MAJOR_DECISION_TIMELINE_ACTIONS,
  missingForConclusion,
  type CollectiveDiscussionRequest,
  type LegalReviewConclusion,
  type LegalReviewRequest,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { EnforcementItem } from '../catalogue/catalogue.entity.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { MatterChannel } from '../channels/matter-channel.js';
import { ReferralClock } from '../clocks/clock.entity.js';
import { ClocksService, schedulePayload, type StartingClock } from '../clocks/clocks.service.js';
import { AuditService } from '../audit/audit.service.js';
import { currentAuditContext } from '../audit/audit-context.js';
import { summarise } from '../audit/audit.subscriber.js';
import { rowFromNote } from '../audit/audit.writer.js';
import { AppConfig } from '../config/app-config.provider.js';
import { MicroBatch } from '../database/micro-batch.js';
import { readMatterFacts, writeCreations, type CreationPlan, type MatterFacts } from './referral-creation.js';
import { agencyRef, type AgencyDirectory } from '../catalogue/catalogue.views.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { OutboxRelay } from '../outbox/outbox.service.js';
import { User } from '../users/user.entity.js';
import { Matter, MatterAgency, Referral, ResponsibilityDispute, TimelineEntry } from './referral.entity.js';

const NOT_OURS = 'not_our_jurisdiction';

/**
 * Matters and referrals. Every state change goes through the shared lifecycle table, appends to
 * the matter's timeline and writes an outbox row in the same transaction; the relay then tells
 * the parties.
 */
@Injectable()
export class ReferralsService {
  /** Creates arriving together read their matters in one statement… */
  private readonly matterFacts: MicroBatch<string, MatterFacts | null>;
  /** …and write their rows in one more. */
  private readonly creations: MicroBatch<CreationPlan, undefined>;

  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly catalogue: CatalogueService,
    private readonly relay: OutboxRelay,
    private readonly clocks: ClocksService,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    const connection = () => this.em.getConnection('write');
    this.matterFacts = new MicroBatch((ids) => readMatterFacts(connection(), ids), { max: 200, alone: false });
    this.creations = new MicroBatch(
      async (plans) => {
        await writeCreations(connection(), plans, config.audit.hash);
        return plans.map(() => undefined);
      },
      { max: 100, alone: true },
    );
  }

  async createMatter(actor: Actor, input: CreateMatterRequest): Promise<MatterView> {
    this.policy.assertAttempt(actor, 'matter.create');
    const agencies = await this.catalogue.recentAgencies();
    const township = this.catalogue.resolveTownship(agencies, input.township);
    const startedOn = input.startedOn ?? todayInChina();
    const id = await this.em.transactional(async (em) => {
      const item = await em.findOne(EnforcementItem, { code: input.itemCode });
      if (!item) throw new ValidationFailed([{ field: 'itemCode', message: `未知执法事项 ${input.itemCode}` }]);
      const version = await this.catalogue.versionRecordInForce(em, item.id, startedOn);
      if (!version) {
        throw new ValidationFailed([
          { field: 'startedOn', message: `「${item.nameZh}」在 ${startedOn} 无生效的职责边界` },
        ]);
      }
      const [seq] = await em.execute<{ n: string }[]>("select nextval('matter_number_seq') n");
      const matter = em.create(Matter, {
        number: `协-${startedOn.slice(0, 4)}-${String(seq?.n ?? 0).padStart(6, '0')}`,
        item,
        boundaryVersion: version,
        township: em.getReference(Agency, township.id),
        place: input.place,
        partyKind: input.party.kind,
        partyName: input.party.name,
        partyIdNumber: input.party.idNumber ?? null,
        procedure: input.procedure,
        majorDifficult: input.flags.majorDifficult,
        publicInterestClue: input.flags.publicInterestClue,
        suspectedCrime: input.flags.suspectedCrime,
        originAgency: em.getReference(Agency, actor.agencyId),
        startedOn,
        summary: input.summary,
        createdBy: em.getReference(User, actor.userId),
      });
      em.create(MatterAgency, { matter, agency: em.getReference(Agency, actor.agencyId), role: 'origin' });
      MatterChannel.open(em, matter);
      this.timeline(em, matter, null, actor, 'matter.created', null, null, {
        itemCode: item.code,
        boundaryVersion: version.version,
      });
      return matter.id;
    });
    return this.matter(actor, id);
  }

  async matter(actor: Actor, id: string): Promise<MatterView> {
    const { matter, parties } = await this.readableMatter(actor, id);
    const agencies = await this.catalogue.recentAgencies();
    const ref = (aid: string) => agencyRef(agencies, aid) as NonNullable<ReturnType<typeof agencyRef>>;
    const item = matter.item.unwrap();
    return {
      id: matter.id,
      number: matter.number,
      item: { code: item.code, nameZh: item.nameZh, category: item.category },
      boundaryVersionId: matter.boundaryVersion.id,
      township: ref(matter.township.id),
      place: matter.place,
      party: { kind: matter.partyKind, name: matter.partyName, idNumber: matter.partyIdNumber ?? null },
      procedure: matter.procedure,
      flags: {
        majorDifficult: matter.majorDifficult,
        publicInterestClue: matter.publicInterestClue,
        suspectedCrime: matter.suspectedCrime,
      },
      originAgency: ref(matter.originAgency.id),
      agencies: parties.map((p) => ({ ...ref(p.agency.id), role: p.role, since: p.since.toISOString() })),
      startedOn: matter.startedOn,
      summary: matter.summary,
      createdAt: matter.createdAt.toISOString(),
    };
  }

  /**
   * A referral about a matter. The receiver comes from the catalogue's routing for the matter's
   * item and township; a sender may name another only with a written reason, which is recorded.
   *
   * The hot path: the matter is read and the rows written by statements shared with the creates
   * that arrive at the same moment (`referral-creation.ts`); everything in between is decided here,
   * in the caller's own request, by the same lifecycle table and clock rules as every other action.
   */
  async createReferral(actor: Actor, input: CreateReferralRequest): Promise<ReferralView> {
    this.policy.assertAttempt(actor, 'referral.create');
    const matter = await this.matterFacts.add(input.matterId);
    if (!matter) throw new NotFound('matter');
    this.policy.authorize(actor, 'matter.read', this.resource(matter, matter.partyAgencyIds), 'matter');
    if (!matter.partyAgencyIds.includes(actor.agencyId)) {
      throw new Forbidden('只有案件当事单位可以发起移送 (only an agency on the matter can refer it)');
    }
    const agencies = await this.catalogue.recentAgencies();
    const decision = this.catalogue.routeWith(matter.versions, input.kind, matter.townshipId, agencies);
    let toAgencyId: string;
    let routingRule: string;
    let informAgencyIds: string[] = [];
    if (input.toAgencyId && (!decision.routed || input.toAgencyId !== decision.receivingAgencyId)) {
      if (!input.overrideReason) {
        throw new ValidationFailed([
          {
            field: 'overrideReason',
            message: '改变职责边界确定的移送对象须说明理由 (a reason is required to override routing)',
          },
        ]);
      }
      toAgencyId = input.toAgencyId;
      routingRule = 'override';
    } else if (decision.routed) {
      toAgencyId = decision.receivingAgencyId;
      routingRule = decision.rule;
      informAgencyIds = decision.informAgencyIds;
    } else {
      const e = new Conflict(
        `职责边界未确定该类移送的接收单位（${decision.rule}），请提请综合行政执法指导办明确，或指定接收单位并说明理由`,
      );
      e.details = [{ field: 'toAgencyId', message: decision.rule }];
      throw e;
    }
    if (toAgencyId === actor.agencyId) {
      throw new ValidationFailed([
        { field: 'toAgencyId', message: '不能移送给本单位 (cannot refer to one’s own agency)' },
      ]);
    }
    // Agencies are never deleted: the directory (a few seconds old at most) knows every one.
    const receiver = agencies.get(toAgencyId);
    if (!receiver) throw new ValidationFailed([{ field: 'toAgencyId', message: '未知单位 (unknown agency)' }]);
    // Submitted at once (the default): the sender's first action, which the lifecycle table decides.
    const submitted = input.submit
      ? decide('draft', 'submit', { side: 'sender', roles: actor.roles, kind: input.kind }, {})
      : undefined;
    if (submitted && !submitted.ok) refuse(submitted);
    const at = new Date();
    const referral: ReferralFacts = {
      id: randomUUID(),
      matter,
      kind: input.kind,
      state: submitted?.next ?? 'draft',
      fromAgencyId: actor.agencyId,
      toAgencyId,
      informAgencyIds: informAgencyIds.filter((a) => a !== actor.agencyId),
      routingRule,
      overrideReason: routingRule === 'override' ? (input.overrideReason ?? null) : null,
      createdAt: at,
      updatedAt: at,
    };
    const clocks = submitted
      ? (await this.clocks.startingClocks(this.em, input.kind, submitted.next, receiver.kind, at)).map((c) => ({
          ...c,
          id: randomUUID(),
        }))
      : [];
    const plan: CreationPlan = {
      referral: { ...referral, matterId: matter.id, createdById: actor.userId, at },
      timeline: [
        {
          id: randomUUID(),
          action: 'referral.created',
          fromState: null,
          toState: 'draft',
          detail: {
            kind: input.kind,
            toAgencyId,
            routingRule,
            ...(input.note ? { note: input.note } : {}),
            ...(routingRule === 'override' ? { overrideReason: input.overrideReason } : {}),
          },
        },
        ...(submitted
          ? [{ id: randomUUID(), action: 'referral.submit', fromState: 'draft', toState: submitted.next, detail: {} }]
          : []),
      ],
      joins:
        submitted?.next === 'delivered'
          ? joining(matter.partyAgencyIds, referral).map((j) => ({ id: randomUUID(), ...j }))
          : [],
      clocks,
      outbox: submitted
        ? [
            ...clocks.map((c) => ({ topic: 'clock.schedule' as const, payload: schedulePayload(c) })),
            { topic: 'referral.changed', payload: changedPayload(referral, 'submit', 'draft', at) },
          ]
        : [],
      audit: [],
      joinAudit: new Map(),
    };
    const ctx = currentAuditContext();
    const audited = (objectType: string, objectId: string, after: Record<string, unknown>) =>
      rowFromNote(
        {
          action: `${objectType.charAt(0).toLowerCase()}${objectType.slice(1)}.create`,
          objectType,
          objectId,
          after: summarise(after) as Record<string, unknown>,
        },
        ctx,
      );
    plan.audit.push(
      audited('Referral', referral.id, {
        id: referral.id,
        matter: matter.id,
        kind: referral.kind,
        fromAgency: referral.fromAgencyId,
        toAgency: referral.toAgencyId,
        informAgencyIds: referral.informAgencyIds,
        state: referral.state,
        routingRule: referral.routingRule,
        overrideReason: referral.overrideReason,
        createdBy: actor.userId,
        createdAt: at,
      }),
      ...plan.clocks.map((c) => audited('ReferralClock', c.id, { ...c, referral: referral.id, extendedBy: 0 })),
    );
    for (const j of plan.joins)
      plan.joinAudit.set(
        j.id,
        audited('MatterAgency', j.id, { id: j.id, matter: matter.id, agency: j.agencyId, role: j.role, since: at }),
      );
    await this.creations.add(plan);
    this.relay.kick();
    this.audit.pendingQueued();
    // The answer is built from what was just written, not read back.
    return this.view(actor, referral, agencies, plan.clocks.map(startedClockFacts));
  }

  /** Applies one lifecycle action: 403/404 for non-parties, 409 in the wrong state, 400 for missing fields. */
  async act(actor: Actor, id: string, action: ReferralAction, input: ReferralActionRequest): Promise<ReferralView> {
    const done = await this.em.transactional(async (em) => {
      // The referral row locked, its matter and item joined (not locked), in one round trip.
      const referral = await em.findOne(
        Referral,
        { id },
        { populate: ['matter', 'matter.item'], lockMode: LockMode.PESSIMISTIC_WRITE, lockTableAliases: ['r0'] },
      );
      if (!referral) throw new NotFound('referral');
      const clocks = await this.transition(em, actor, referral, referral.matter.unwrap(), action, input);
      return { referral, clocks };
    });
    this.relay.kick();
    return this.view(actor, factsOf(done.referral), await this.catalogue.recentAgencies(), done.clocks);
  }

  async get(actor: Actor, id: string): Promise<ReferralView> {
    const referral = await this.em.findOne(Referral, { id }, { populate: ['matter', 'matter.item'] });
    if (!referral) throw new NotFound('referral');
    const matter = referral.matter.unwrap();
    this.policy.authorize(actor, 'referral.read', this.resource(matter, this.partiesOf(referral)), 'referral');
    return this.view(
      actor,
      factsOf(referral),
      await this.catalogue.recentAgencies(),
      (await this.clocksOf([id])).get(id) ?? [],
    );
  }

  /**
   * The receiving side's inbox, or the sending side's outbox: filtered, with counts per state for
   * badges, nearest deadline first.
   */
  async list(actor: Actor, box: 'inbox' | 'outbox', q: ReferralListQuery): Promise<ReferralList> {
    const agencies = await this.catalogue.recentAgencies();
    const column = box === 'inbox' ? 'r.to_agency_id' : 'r.from_agency_id';
    const where: string[] = [`${column} = ?`];
    const params: unknown[] = [actor.agencyId];
    // Drafts are the sender's own business.
    if (box === 'inbox') where.push(`r.state <> 'draft'`);
    const and = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (q.state) and('r.state = ?', q.state);
    if (q.kind) and('r.kind = ?', q.kind);
    if (q.township) and('m.township_id = ?', this.catalogue.resolveTownship(agencies, q.township).id);
    if (q.overdue)
      where.push(
        `exists (select 1 from referral_clock c where c.referral_id = r.id and c.state in ('overdue', 'escalated'))`,
      );
    if (q.dueWithinDays !== undefined) {
      where.push(
        `exists (select 1 from referral_clock c where c.referral_id = r.id and c.state in ('running', 'overdue') and c.deadline <= now() + make_interval(days => ?))`,
      );
      params.push(q.dueWithinDays);
    }
    const from = `from referral r join matter m on m.id = r.matter_id where ${where.join(' and ')}`;
    const rows = await this.em.execute<{ id: string }[]>(
      `select r.id, (select min(c.deadline) from referral_clock c where c.referral_id = r.id and c.state in ('running', 'paused', 'overdue')) nearest
         ${from} order by nearest asc nulls last, r.updated_at desc limit ? offset ?`,
      [...params, q.limit, q.offset],
    );
    const [{ n: total } = { n: '0' }] = await this.em.execute<{ n: string }[]>(`select count(*) n ${from}`, params);
    const counted = await this.em.execute<{ state: string; n: string }[]>(
      `select r.state, count(*) n from referral r where ${column} = ? group by r.state`,
      [actor.agencyId],
    );
    const ids = rows.map((r) => r.id);
    const found = await this.em.find(Referral, { id: { $in: ids } }, { populate: ['matter', 'matter.item'] });
    const byId = new Map(found.map((r) => [r.id, r]));
    const clocks = await this.clocksOf(ids);
    return {
      total: Number(total),
      counts: Object.fromEntries(counted.map((c) => [c.state, Number(c.n)])),
      referrals: ids.flatMap((id) => {
        const r = byId.get(id);
        return r ? [this.view(actor, factsOf(r), agencies, clocks.get(id) ?? [])] : [];
      }),
    };
  }

  /**
   * The matters the caller's agency is on (origin, or joined by a referral), newest first: what a
   * create form picks from. Only its own: oversight roles read flagged matters through their queues.
   */
  async myMatters(actor: Actor, q: MatterListQuery): Promise<MatterList> {
    const agencies = await this.catalogue.recentAgencies();
    const params: unknown[] = [actor.agencyId];
    let search = '';
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      search = ` and (m.number ilike ? or i.name_zh ilike ? or m.party_name ilike ? or m.place ilike ?)`;
      params.push(like, like, like, like);
    }
    const from = `from matter m join enforcement_item i on i.id = m.item_id
      where exists (select 1 from matter_agency ma where ma.matter_id = m.id and ma.agency_id = ?)${search}`;
    const rows = await this.em.execute<
      {
        id: string;
        number: string;
        item_name: string;
        township_id: string;
        party_name: string;
        place: string;
        flagged: boolean;
        started_on: string;
      }[]
    >(
      `select m.id, m.number, i.name_zh item_name, m.township_id, m.party_name, m.place,
              (m.major_difficult or m.public_interest_clue or m.suspected_crime) flagged,
              to_char(m.started_on, 'YYYY-MM-DD') started_on
         ${from} order by m.created_at desc, m.number desc limit ? offset ?`,
      [...params, q.limit, q.offset],
    );
    const [{ n } = { n: '0' }] = await this.em.execute<{ n: string }[]>(`select count(*) n ${from}`, params);
    return {
      total: Number(n),
      matters: rows.map((r) => ({
        id: r.id,
        number: r.number,
        itemName: r.item_name,
        township: agencies.get(r.township_id)?.nameZh ?? '',
        partyName: r.party_name,
        place: r.place,
        flagged: r.flagged,
        startedOn: r.started_on,
      })),
    };
  }

  /** Who did what, when, from which state: what prosecutors and the guidance office read later. */
  async timelineOf(actor: Actor, matterId: string): Promise<TimelineEntryView[]> {
    await this.readableMatter(actor, matterId);
    const entries = await this.em.find(
      TimelineEntry,
      { matter: matterId },
      { orderBy: { at: 'asc' }, populate: ['actor'] },
    );
    const agencies = await this.catalogue.recentAgencies();
    return entries.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      action: e.action,
      fromState: e.fromState ?? null,
      toState: e.toState ?? null,
      referralId: e.referral?.id ?? null,
      actor: e.actor ? { id: e.actor.id, displayName: e.actor.unwrap().displayName } : null,
      agency: agencyRef(agencies, e.agency?.id),
      detail: e.detail,
    }));
  }

  /**
   * A matter and the agencies on it, or 404 for anyone it is hidden from (agencies not on it,
   * prosecutors on an unflagged matter). Other capabilities (attachments) use it too.
   */
  async readableMatter(
    actor: Actor,
    matterId: string,
    em: EntityManager = this.em,
  ): Promise<{ matter: Matter; parties: MatterAgency[] }> {
    // One round trip: the parties, each joined to the matter and its item (a matter always has its origin).
    const parties = await em.find(
      MatterAgency,
      { matter: matterId },
      { populate: ['matter', 'matter.item'], orderBy: { since: 'asc' } },
    );
    const matter = parties[0]?.matter.unwrap() ?? (await em.findOne(Matter, { id: matterId }, { populate: ['item'] }));
    if (!matter) throw new NotFound('matter');
    this.policy.authorize(
      actor,
      'matter.read',
      this.resource(
        matter,
        parties.map((p) => p.agency.id),
      ),
      'matter',
    );
    return { matter, parties };
  }

  /**
   * 集体讨论 / 法制审核 of a major decision, kept as timeline entries of the matter (append-only).
   * Only agencies on the matter record them; a legal review needs the legal reviewer's role
   * (the policy row) and records the reviewer.
   */
  async recordMajorDecision(
    actor: Actor,
    matterId: string,
    input:
      | { kind: 'collectiveDiscussion'; body: CollectiveDiscussionRequest }
      | { kind: 'legalReview'; body: LegalReviewRequest },
  ): Promise<TimelineEntryView[]> {
    await this.em.transactional(async (em) => {
      const { matter, parties } = await this.readableMatter(actor, matterId, em);
      if (!parties.some((p) => p.agency.id === actor.agencyId)) {
        throw new Forbidden(`只有本案各单位可以记录${MAJOR_DECISION_LABELS[input.kind]} (only agencies on the matter)`);
      }
      const detail = input.kind === 'legalReview' ? { ...input.body, reviewerId: actor.userId } : { ...input.body };
      this.timeline(em, matter, null, actor, MAJOR_DECISION_TIMELINE_ACTIONS[input.kind], null, null, detail);
    });
    return this.timelineOf(actor, matterId);
  }

  /** 409 naming what a major matter still lacks (集体讨论, 法制审核) before a referral about it is concluded. */
  private async assertMajorDecisionRecorded(em: EntityManager, matter: Matter, state: string): Promise<void> {
    const rows = await em.execute<{ action: string; conclusion: string | null }[]>(
      `select action, detail->>'conclusion' conclusion from timeline_entry
        where matter_id = ? and action in (?, ?) order by at desc`,
      [matter.id, MAJOR_DECISION_TIMELINE_ACTIONS.collectiveDiscussion, MAJOR_DECISION_TIMELINE_ACTIONS.legalReview],
    );
    const review = rows.find((r) => r.action === MAJOR_DECISION_TIMELINE_ACTIONS.legalReview);
    const missing = missingForConclusion(matter, {
      collectiveDiscussion: rows.some((r) => r.action === MAJOR_DECISION_TIMELINE_ACTIONS.collectiveDiscussion),
      latestLegalReview: (review?.conclusion as LegalReviewConclusion | undefined) ?? null,
    });
    if (missing.length === 0) return;
    const e = new Conflict(
      `重大疑难案件办结前须经${missing.map((m) => MAJOR_DECISION_LABELS[m]).join('和')} (a major matter needs ${missing.join(' and ')} first)`,
    );
    e.details = [
      { field: 'state', message: state },
      ...missing.map((m) => ({ field: m, message: '缺少' + MAJOR_DECISION_LABELS[m] })),
    ];
    throw e;
  }

  // -------------------------------------------------------------------------------------------

  private async transition(
    em: EntityManager,
    actor: Actor,
    referral: Referral,
    matter: Matter,
    action: ReferralAction,
    input: ReferralActionRequest,
  ): Promise<ReferralClock[]> {
    const side = this.sideOf(actor, referral);
    if (!side) {
      this.policy.authorize(actor, 'referral.read', this.resource(matter, this.partiesOf(referral)), 'referral');
      throw new Forbidden('只有移送双方可以办理 (only the sending and receiving agencies can act)');
    }
    const ctx: ActionContext = { side, roles: actor.roles, kind: referral.kind };
    const from = referral.state as ReferralState;
    const decision = decide(from, action, ctx, input);
    if (!decision.ok) refuse(decision);
    if (action === 'reroute') await this.reroute(em, referral, matter, input);
    if (action === 'conclude' && matter.majorDifficult) await this.assertMajorDecisionRecorded(em, matter, from);
    referral.state = decision.next;
    if (decision.next === 'delivered') await this.admit(em, matter, referral);
    const clocks = await this.clocks.onTransition(em, referral, from, decision.next);
    const detail: Record<string, unknown> = Object.fromEntries(
      Object.entries(input).filter(([, v]) => v !== undefined),
    );
    this.timeline(em, matter, referral, actor, `referral.${action}`, from, decision.next, detail);
    OutboxRelay.record(em, 'referral.changed', changedPayload(factsOf(referral), action, from, new Date()));
    if (action === 'return' && input.reasonCode === NOT_OURS) await this.maybeOpenDispute(em, matter, referral);
    return clocks;
  }

  /** Sends a returned referral to another receiver; off the routing answer only with a reason. */
  private async reroute(
    em: EntityManager,
    referral: Referral,
    matter: Matter,
    input: ReferralActionRequest,
  ): Promise<void> {
    const decision = await this.catalogue.routePreview(matter.item.unwrap().code, referral.kind, matter.township.id);
    const target = input.receivingAgencyId ?? (decision.routed ? decision.receivingAgencyId : undefined);
    if (!target) throw new ValidationFailed([{ field: 'receivingAgencyId', message: '请指定新的接收单位' }]);
    if (target === referral.fromAgency.id) {
      throw new ValidationFailed([{ field: 'receivingAgencyId', message: '不能移送给本单位' }]);
    }
    if (!(await this.catalogue.recentAgencies()).has(target)) {
      throw new ValidationFailed([{ field: 'receivingAgencyId', message: '未知单位 (unknown agency)' }]);
    }
    const routed = decision.routed && decision.receivingAgencyId === target;
    if (!routed && !input.overrideReason) {
      throw new ValidationFailed([{ field: 'overrideReason', message: '改变职责边界确定的移送对象须说明理由' }]);
    }
    referral.toAgency = em.getReference(Agency, target, { wrapped: true });
    referral.routingRule = routed ? decision.rule : 'override';
    referral.overrideReason = routed ? null : (input.overrideReason ?? null);
  }

  /** The receiver and the agencies kept informed join the matter when it is delivered. */
  private async admit(em: EntityManager, matter: Matter, referral: Referral): Promise<void> {
    const present = (await em.find(MatterAgency, { matter: matter.id })).map((p) => p.agency.id);
    for (const { agencyId, role } of joining(present, {
      toAgencyId: referral.toAgency.id,
      informAgencyIds: referral.informAgencyIds,
    }))
      em.create(MatterAgency, { matter, agency: em.getReference(Agency, agencyId), role });
  }

  /**
   * Two returns of the matter as not-ours between the same agencies (A→B→A, or both refusing)
   * open a responsibility dispute and tell the guidance office. The dispute workflow is its own
   * capability; here the record is made once per matter and pair.
   */
  private async maybeOpenDispute(em: EntityManager, matter: Matter, current: Referral): Promise<void> {
    await em.flush();
    const returns = await em.execute<{ from_agency: string; to_agency: string; reason: string }[]>(
      `select t.agency_id from_agency, r.from_agency_id to_agency, t.detail->>'reasonCode' reason
         from timeline_entry t join referral r on r.id = t.referral_id
        where t.matter_id = ? and t.action = 'referral.return' order by t.at`,
      [matter.id],
    );
    const list = returns.map((r) => ({ fromAgencyId: r.from_agency, toAgencyId: r.to_agency, reasonCode: r.reason }));
    if (!isDispute(list)) return;
    const a = current.fromAgency.id;
    const b = current.toAgency.id;
    const open = await em.findOne(ResponsibilityDispute, {
      matter: matter.id,
      state: 'open',
      $or: [
        { agencyA: a, agencyB: b },
        { agencyA: b, agencyB: a },
      ],
    });
    if (open) return;
    const guidance = await em.findOne(Agency, { kind: AgencyKind.GuidanceOffice });
    const dispute = em.create(ResponsibilityDispute, {
      matter,
      agencyA: em.getReference(Agency, a),
      agencyB: em.getReference(Agency, b),
      pattern: 'both_refuse',
      openedByReferral: current,
    });
    this.timeline(em, matter, current, null, 'dispute.opened', null, null, {
      disputeId: dispute.id,
      agencyA: a,
      agencyB: b,
    });
    OutboxRelay.record(em, 'dispute.opened', {
      disputeId: dispute.id,
      matterId: matter.id,
      matterNumber: matter.number,
      agencyAId: a,
      agencyBId: b,
      guidanceOfficeId: guidance?.id ?? '',
      pattern: 'both_refuse',
    });
  }

  private timeline(
    em: EntityManager,
    matter: Matter,
    referral: Referral | null,
    actor: Actor | null,
    action: string,
    fromState: string | null,
    toState: string | null,
    detail: Record<string, unknown>,
  ): void {
    em.create(TimelineEntry, {
      matter,
      referral,
      actor: actor ? em.getReference(User, actor.userId) : null,
      agency: actor ? em.getReference(Agency, actor.agencyId) : null,
      action,
      fromState,
      toState,
      detail,
    });
  }

  private sideOf(actor: Actor, referral: Referral): ReferralSide | null {
    if (referral.fromAgency.id === actor.agencyId) return 'sender';
    if (referral.toAgency.id === actor.agencyId) return 'receiver';
    return null;
  }

  private partiesOf(referral: Referral): string[] {
    return [referral.fromAgency.id, referral.toAgency.id, ...referral.informAgencyIds];
  }

  private resource(
    matter: Pick<Matter, 'id' | 'majorDifficult' | 'publicInterestClue' | 'suspectedCrime'>,
    partyAgencyIds: string[],
  ) {
    return {
      partyAgencyIds,
      flagged: matter.majorDifficult || matter.publicInterestClue || matter.suspectedCrime,
      matterId: matter.id,
    };
  }

  private async clocksOf(referralIds: string[]): Promise<Map<string, ReferralClock[]>> {
    const out = new Map<string, ReferralClock[]>();
    if (referralIds.length === 0) return out;
    const clocks = await this.em.find(
      ReferralClock,
      { referral: { $in: referralIds } },
      { orderBy: { startedAt: 'asc', deadline: 'asc' } },
    );
    for (const c of clocks) out.set(c.referral.id, [...(out.get(c.referral.id) ?? []), c]);
    return out;
  }

  private view(actor: Actor, r: ReferralFacts, agencies: AgencyDirectory, clocks: ClockFacts[]): ReferralView {
    const matter = r.matter;
    const ref = (id: string) => agencyRef(agencies, id) as NonNullable<ReturnType<typeof agencyRef>>;
    const side = actor.agencyId === r.fromAgencyId ? 'sender' : actor.agencyId === r.toAgencyId ? 'receiver' : null;
    return {
      id: r.id,
      matter: {
        id: matter.id,
        number: matter.number,
        itemName: matter.itemName,
        township: agencies.get(matter.townshipId)?.nameZh ?? '',
        flagged: matter.majorDifficult || matter.publicInterestClue || matter.suspectedCrime,
      },
      kind: r.kind,
      state: r.state as ReferralState,
      from: ref(r.fromAgencyId),
      to: ref(r.toAgencyId),
      inform: r.informAgencyIds.map(ref),
      routingRule: r.routingRule,
      overrideReason: r.overrideReason ?? null,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      allowedActions: side ? allowedActions(r.state as ReferralState, { side, roles: actor.roles, kind: r.kind }) : [],
      clocks: clocks.map((c) => ({
        id: c.id,
        code: c.code,
        labelZh: LEGAL_CLOCKS[c.code].labelZh,
        legalBasis: LEGAL_CLOCKS[c.code].legalBasis,
        state: c.state,
        startedAt: c.startedAt.toISOString(),
        deadline: c.deadline.toISOString(),
        warnAt: c.warnAt.toISOString(),
        escalateAt: c.escalateAt.toISOString(),
        warned: c.warnedAt !== null && c.warnedAt !== undefined,
        provisional: c.provisional,
        extendedBy: c.extendedBy,
        pendingExtension:
          c.extensionAmount && c.extensionRequestedAt
            ? {
                amount: c.extensionAmount,
                reason: c.extensionReason ?? '',
                requestedAt: c.extensionRequestedAt.toISOString(),
              }
            : null,
      })),
      nearestDeadline:
        clocks
          .filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'overdue')
          .map((c) => c.deadline.toISOString())
          .sort()[0] ?? null,
    };
  }
}

/** A referral as its view needs it: from an entity (`factsOf`) or from a create's plan. */
export interface ReferralFacts {
  id: string;
  matter: Pick<
    MatterFacts,
    'id' | 'number' | 'itemName' | 'townshipId' | 'majorDifficult' | 'publicInterestClue' | 'suspectedCrime'
  >;
  kind: ReferralKind;
  state: string;
  fromAgencyId: string;
  toAgencyId: string;
  informAgencyIds: string[];
  routingRule: string;
  overrideReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A clock as a referral's view shows it (a `ReferralClock` is one). */
export type ClockFacts = Pick<
  ReferralClock,
  | 'id'
  | 'code'
  | 'state'
  | 'startedAt'
  | 'deadline'
  | 'warnAt'
  | 'escalateAt'
  | 'warnedAt'
  | 'provisional'
  | 'extendedBy'
  | 'extensionAmount'
  | 'extensionReason'
  | 'extensionRequestedAt'
>;

function factsOf(r: Referral): ReferralFacts {
  const m = r.matter.unwrap();
  return {
    id: r.id,
    matter: {
      id: m.id,
      number: m.number,
      itemName: m.item.unwrap().nameZh,
      townshipId: m.township.id,
      majorDifficult: m.majorDifficult,
      publicInterestClue: m.publicInterestClue,
      suspectedCrime: m.suspectedCrime,
    },
    kind: r.kind,
    state: r.state,
    fromAgencyId: r.fromAgency.id,
    toAgencyId: r.toAgency.id,
    informAgencyIds: r.informAgencyIds,
    routingRule: r.routingRule,
    overrideReason: r.overrideReason ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** Who joins a matter when a referral about it is delivered: its receiver, then those informed, unless on it already. */
function joining(
  present: readonly string[],
  r: Pick<ReferralFacts, 'toAgencyId' | 'informAgencyIds'>,
): { agencyId: string; role: 'receiver' | 'informed' }[] {
  const on = new Set(present);
  const out: { agencyId: string; role: 'receiver' | 'informed' }[] = [];
  for (const [agencyId, role] of [
    [r.toAgencyId, 'receiver'] as const,
    ...r.informAgencyIds.map((a) => [a, 'informed'] as const),
  ]) {
    if (on.has(agencyId)) continue;
    on.add(agencyId);
    out.push({ agencyId, role });
  }
  return out;
}

function startedClockFacts(c: StartingClock & { id: string }): ClockFacts {
  return {
    ...c,
    warnedAt: null,
    extendedBy: 0,
    extensionAmount: null,
    extensionReason: null,
    extensionRequestedAt: null,
  };
}

/** What the parties are told of a state change (the `referral.changed` outbox row). */
function changedPayload(r: ReferralFacts, action: ReferralAction, from: string, at: Date): Record<string, unknown> {
  return {
    referralId: r.id,
    matterId: r.matter.id,
    matterNumber: r.matter.number,
    kind: r.kind,
    action,
    fromState: from,
    state: r.state,
    fromAgencyId: r.fromAgencyId,
    toAgencyId: r.toAgencyId,
    informAgencyIds: r.informAgencyIds,
    at: at.toISOString(),
  };
}

/** A refused action as its error: 403 not allowed to, 400 a field missing, 409 not in this state. */
function refuse(decision: Exclude<ReturnType<typeof decide>, { ok: true }>): never {
  if (decision.status === 403) throw new Forbidden(decision.reason);
  if (decision.status === 400) throw new ValidationFailed(decision.fields, decision.reason);
  const e = new Conflict(decision.reason);
  e.details = [
    { field: 'state', message: decision.state },
    { field: 'allowedActions', message: decision.allowed.join(',') },
  ];
  throw e;
}
