import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  AgencyKind,
  allowedWorkflowActions,
  ClockCode,
  decideWorkflow,
  DISPUTE_LIFECYCLE,
  DISPUTE_PATTERN_LABELS,
  Role,
  type DisputeAction,
  type DisputeActionRequest,
  type DisputeSide,
  type DisputeState,
  type DisputeStats,
  type DisputeView,
  type OpenDisputeRequest,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { BoundaryVersionRecord } from '../catalogue/catalogue.entity.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { agencyRef, type AgencyDirectory } from '../catalogue/catalogue.views.js';
import { ClocksService } from '../clocks/clocks.service.js';
import { WorkflowClock } from '../clocks/workflow-clock.entity.js';
import { WorkflowClocksService } from '../clocks/workflow-clocks.service.js';
import { Forbidden, NotFound, ValidationFailed } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { DeliveryProcessor } from '../outbox/delivery.processor.js';
import { OutboxRelay } from '../outbox/outbox.service.js';
import { Matter, MatterAgency, Referral, ResponsibilityDispute, TimelineEntry } from '../referrals/referral.entity.js';
import { ReferralsService } from '../referrals/referrals.service.js';
import { User } from '../users/user.entity.js';
import {
  assertOnMatter,
  definedFields,
  isFlaggedMatter,
  matterSummary,
  nextStateOf,
  recordChange,
} from '../workflows/workflow-support.js';
import { DisputePosition } from './dispute.entity.js';

/**
 * Responsibility disputes (职责争议): opened by the referral workflow on a second not-ours return,
 * or by hand; positions from both parties; accepted and ruled by the guidance office on clocks; a
 * ruling that names the responsible agency, moves the matter there, and may amend the boundary.
 */
@Injectable()
export class DisputesService implements OnModuleInit {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly catalogue: CatalogueService,
    private readonly referrals: ReferralsService,
    private readonly clocks: ClocksService,
    private readonly workflowClocks: WorkflowClocksService,
    private readonly delivery: DeliveryProcessor,
    private readonly relay: OutboxRelay,
  ) {}

  /** A dispute opened by the referral workflow gets its acceptance clock once the news is out. */
  onModuleInit(): void {
    this.delivery.onDelivered(async (_id, topic, payload) => {
      if (topic === 'dispute.opened') await this.startAcceptClock(String(payload.disputeId));
    });
  }

  async open(actor: Actor, input: OpenDisputeRequest): Promise<DisputeView> {
    this.policy.assertAttempt(actor, 'dispute.open');
    const id = await this.em.transactional(async (em) => {
      const { matter, parties } = await this.referrals.readableMatter(actor, input.matterId, em);
      if (!parties.some((p) => p.agency.id === actor.agencyId)) {
        throw new Forbidden('只有案件当事单位可以提出职责争议 (only an agency on the matter can open a dispute)');
      }
      if (input.otherAgencyId === actor.agencyId || !(await em.findOne(Agency, { id: input.otherAgencyId }))) {
        throw new ValidationFailed([{ field: 'otherAgencyId', message: '须为本单位以外的另一单位 (another agency)' }]);
      }
      const dispute = em.create(ResponsibilityDispute, {
        matter,
        agencyA: em.getReference(Agency, actor.agencyId),
        agencyB: em.getReference(Agency, input.otherAgencyId),
        pattern: input.pattern,
        state: 'open',
        openedByReferral: null,
        openedBy: em.getReference(User, actor.userId),
      });
      const guidance = await this.guidanceOfficeId(em);
      if (input.stance || input.boundaryClause || input.legalBasis) {
        await this.statePosition(em, actor, dispute, matter, input);
      }
      await this.acceptClock(em, dispute, matter, guidance);
      recordChange(em, {
        workflow: 'dispute',
        id: dispute.id,
        matter,
        actor,
        action: 'opened',
        fromState: null,
        state: 'open',
        agencyIds: [actor.agencyId, input.otherAgencyId, guidance],
        summaryZh: `提出职责争议（${DISPUTE_PATTERN_LABELS[input.pattern]}），待指导办受理`,
        detail: { pattern: input.pattern, otherAgencyId: input.otherAgencyId },
      });
      OutboxRelay.record(em, 'dispute.opened', {
        disputeId: dispute.id,
        matterId: matter.id,
        matterNumber: matter.number,
        agencyAId: actor.agencyId,
        agencyBId: input.otherAgencyId,
        guidanceOfficeId: guidance,
        pattern: input.pattern,
      });
      return dispute.id;
    });
    this.relay.kick();
    return this.get(actor, id);
  }

  async act(actor: Actor, id: string, action: DisputeAction, input: DisputeActionRequest): Promise<DisputeView> {
    await this.em.transactional(async (em) => {
      const dispute = await em.findOne(ResponsibilityDispute, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!dispute) throw new NotFound('dispute');
      const matter = await em.findOneOrFail(Matter, { id: dispute.matter.id }, { populate: ['item'] });
      const guidance = await this.guidanceOfficeId(em);
      this.authorizeRead(actor, dispute, matter, guidance);
      const from = dispute.state as DisputeState;
      const next = nextStateOf(
        decideWorkflow(DISPUTE_LIFECYCLE, from, action, this.actorOf(actor, dispute, guidance), input),
      );
      const parties = [dispute.agencyA.id, dispute.agencyB.id, guidance];
      let summaryZh: string;
      if (action === 'state_position') {
        await this.statePosition(em, actor, dispute, matter, input);
        summaryZh = `陈述意见：${input.stance === 'ours' ? '属本单位职责' : '不属本单位职责'}`;
      } else if (action === 'accept') {
        dispute.acceptedAt = new Date();
        await this.workflowClocks.stop(em, 'dispute', dispute.id, [ClockCode.DisputeAccept]);
        await this.workflowClocks.start(em, {
          workflow: 'dispute',
          subjectId: dispute.id,
          matter,
          code: ClockCode.DisputeRule,
          notifyAgencyIds: parties,
          escalateToAgencyIds: [guidance],
        });
        summaryZh = '指导办已受理职责争议';
      } else {
        summaryZh = await this.rule(em, actor, dispute, matter, input);
        parties.push(input.responsibleAgencyId ?? '');
      }
      dispute.state = next;
      recordChange(em, {
        workflow: 'dispute',
        id: dispute.id,
        matter,
        actor,
        action,
        fromState: from,
        state: next,
        agencyIds: parties.filter(Boolean),
        summaryZh,
        detail: definedFields(input),
      });
    });
    this.relay.kick();
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<DisputeView> {
    const dispute = await this.em.findOne(ResponsibilityDispute, { id }, { populate: ['matter', 'matter.item'] });
    if (!dispute) throw new NotFound('dispute');
    const guidance = await this.guidanceOfficeId(this.em);
    this.authorizeRead(actor, dispute, dispute.matter.unwrap(), guidance);
    const [view] = await this.views(actor, [dispute], guidance);
    return view as DisputeView;
  }

  /** The disputes the caller's agency is party to; the guidance office and oversight roles see all. */
  async list(actor: Actor, state?: DisputeState): Promise<DisputeView[]> {
    const guidance = await this.guidanceOfficeId(this.em);
    const all = actor.agencyId === guidance || hasRole(actor, Role.SystemAdmin, Role.Auditor);
    const disputes = await this.em.find(
      ResponsibilityDispute,
      {
        ...(state ? { state } : {}),
        ...(all ? {} : { $or: [{ agencyA: actor.agencyId }, { agencyB: actor.agencyId }] }),
      },
      { populate: ['matter', 'matter.item'], orderBy: { createdAt: 'desc' }, limit: 200 },
    );
    const visible = disputes.filter((d) => this.readable(actor, d, d.matter.unwrap(), guidance));
    return this.views(actor, visible, guidance);
  }

  /** 争着推 and 争着管 counted by item and by (unordered) agency pair. */
  async stats(actor: Actor): Promise<DisputeStats> {
    this.policy.assertAttempt(actor, 'dispute.stats');
    const agencies = await this.catalogue.agencies();
    const byItem = await this.em.execute<{ code: string; name: string; pattern: string; n: string }[]>(
      `select i.code, i.name_zh name, d.pattern, count(*) n from responsibility_dispute d
         join matter m on m.id = d.matter_id join enforcement_item i on i.id = m.item_id
        group by i.code, i.name_zh, d.pattern order by i.code`,
    );
    const byPair = await this.em.execute<{ a: string; b: string; pattern: string; n: string }[]>(
      `select least(d.agency_a_id, d.agency_b_id) a, greatest(d.agency_a_id, d.agency_b_id) b, d.pattern, count(*) n
         from responsibility_dispute d group by 1, 2, 3 order by 1, 2`,
    );
    const fold = <K extends string, R>(
      rows: ({ pattern: string; n: string } & Record<string, string>)[],
      key: (r: Record<string, string>) => K,
      make: (r: Record<string, string>) => R,
    ) => {
      const out = new Map<K, R & { both_refuse: number; both_claim: number }>();
      for (const r of rows) {
        const k = key(r);
        const entry = out.get(k) ?? { ...make(r), both_refuse: 0, both_claim: 0 };
        entry[r.pattern as 'both_refuse' | 'both_claim'] += Number(r.n);
        out.set(k, entry);
      }
      return [...out.values()];
    };
    return {
      byItem: fold(
        byItem,
        (r) => r.code ?? '',
        (r) => ({ itemCode: r.code ?? '', itemName: r.name ?? '' }),
      ),
      byAgencyPair: fold(
        byPair,
        (r) => `${r.a}/${r.b}`,
        (r) => ({ agencies: [r.a, r.b].flatMap((aid) => agencyRef(agencies, aid) ?? []) }),
      ),
    };
  }

  // -------------------------------------------------------------------------------------------

  private async statePosition(
    em: EntityManager,
    actor: Actor,
    dispute: ResponsibilityDispute,
    matter: Matter,
    input: Pick<DisputeActionRequest, 'stance' | 'boundaryClause' | 'legalBasis' | 'attachmentIds'>,
  ): Promise<void> {
    const d = decideWorkflow(
      DISPUTE_LIFECYCLE,
      'open',
      'state_position',
      { sides: ['party'], roles: actor.roles },
      input,
    );
    nextStateOf(d);
    await assertOnMatter(em, matter.id, 'attachment', input.attachmentIds, 'attachmentIds');
    em.create(DisputePosition, {
      dispute,
      agency: em.getReference(Agency, actor.agencyId),
      stance: input.stance ?? 'not_ours',
      boundaryClause: input.boundaryClause ?? '',
      legalBasis: input.legalBasis ?? '',
      attachmentIds: input.attachmentIds ?? [],
      statedBy: em.getReference(User, actor.userId),
    });
  }

  /** The ruling: the responsible agency, the referral to it if the matter moves, the boundary amendment. */
  private async rule(
    em: EntityManager,
    actor: Actor,
    dispute: ResponsibilityDispute,
    matter: Matter,
    input: DisputeActionRequest,
  ): Promise<string> {
    const responsible = await em.findOne(Agency, { id: input.responsibleAgencyId ?? '' });
    if (!responsible)
      throw new ValidationFailed([{ field: 'responsibleAgencyId', message: '未知单位 (unknown agency)' }]);
    dispute.responsibleAgency = em.getReference(Agency, responsible.id, { wrapped: true });
    dispute.rulingText = input.rulingText ?? '';
    dispute.ruledAt = new Date();
    if (input.amendBoundary) {
      // The catalogue's own amendment path, in this transaction: a bad amendment refuses the ruling.
      await this.catalogue.amend(actor, matter.item.unwrap().code, {
        ...input.amendBoundary,
        reason: 'dispute_ruling',
        causeRef: `dispute:${dispute.id}`,
      });
      const version = await em.findOneOrFail(BoundaryVersionRecord, { causeRef: `dispute:${dispute.id}` });
      dispute.rulingBoundaryVersion = em.getReference(BoundaryVersionRecord, version.id, { wrapped: true });
    }
    if (input.moveMatter) {
      const a = dispute.agencyA.id;
      const b = dispute.agencyB.id;
      const fromId = responsible.id === a ? b : a;
      if (fromId === responsible.id) {
        throw new ValidationFailed([{ field: 'responsibleAgencyId', message: '案件已在该单位 (already there)' }]);
      }
      dispute.rulingReferral = em.getReference(
        Referral,
        (await this.referTo(em, actor, matter, fromId, responsible.id, input)).id,
        { wrapped: true },
      );
    }
    await this.workflowClocks.stop(em, 'dispute', dispute.id, [ClockCode.DisputeAccept, ClockCode.DisputeRule]);
    return `指导办裁决：由${responsible.nameZh}负责${input.amendBoundary ? `，职责边界自 ${input.amendBoundary.effectiveFrom} 起调整` : ''}`;
  }

  /** A ruling is binding: the referral to the responsible agency is delivered at once (no approval step). */
  private async referTo(
    em: EntityManager,
    actor: Actor,
    matter: Matter,
    fromId: string,
    toId: string,
    input: DisputeActionRequest,
  ): Promise<Referral> {
    const referral = em.create(Referral, {
      matter,
      kind: input.referralKind,
      fromAgency: em.getReference(Agency, fromId),
      toAgency: em.getReference(Agency, toId),
      informAgencyIds: [],
      state: 'delivered',
      routingRule: 'dispute_ruling',
      overrideReason: input.rulingText ?? null,
      createdBy: em.getReference(User, actor.userId),
    });
    if (!(await em.findOne(MatterAgency, { matter: matter.id, agency: toId }))) {
      em.create(MatterAgency, { matter, agency: em.getReference(Agency, toId), role: 'receiver' });
    }
    await this.clocks.onTransition(em, referral, 'draft', 'delivered');
    em.create(TimelineEntry, {
      matter,
      referral,
      actor: em.getReference(User, actor.userId),
      agency: em.getReference(Agency, actor.agencyId),
      action: 'referral.created',
      fromState: null,
      toState: 'delivered',
      detail: { kind: input.referralKind, toAgencyId: toId, routingRule: 'dispute_ruling' },
    });
    OutboxRelay.record(em, 'referral.changed', {
      referralId: referral.id,
      matterId: matter.id,
      matterNumber: matter.number,
      kind: referral.kind,
      action: 'submit',
      fromState: 'draft',
      state: 'delivered',
      fromAgencyId: fromId,
      toAgencyId: toId,
      informAgencyIds: [],
      at: new Date().toISOString(),
    });
    return referral;
  }

  private async acceptClock(em: EntityManager, dispute: ResponsibilityDispute, matter: Matter, guidance: string) {
    await this.workflowClocks.start(em, {
      workflow: 'dispute',
      subjectId: dispute.id,
      matter,
      code: ClockCode.DisputeAccept,
      notifyAgencyIds: [guidance, dispute.agencyA.id, dispute.agencyB.id],
      escalateToAgencyIds: [guidance],
    });
  }

  private async startAcceptClock(disputeId: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const dispute = await em.findOne(
        ResponsibilityDispute,
        { id: disputeId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!dispute || dispute.state !== 'open') return;
      if (await em.count(WorkflowClock, { subjectKind: 'dispute', subjectId: disputeId })) return;
      const matter = await em.findOneOrFail(Matter, { id: dispute.matter.id });
      await this.acceptClock(em, dispute, matter, await this.guidanceOfficeId(em));
    });
    this.relay.kick();
  }

  private async guidanceOfficeId(em: EntityManager): Promise<string> {
    const agencies = await this.catalogue.agencies(em);
    return [...agencies.values()].find((a) => a.kind === AgencyKind.GuidanceOffice)?.id ?? '';
  }

  private actorOf(actor: Actor, d: ResponsibilityDispute, guidance: string) {
    const sides: DisputeSide[] = [];
    if (actor.agencyId === d.agencyA.id || actor.agencyId === d.agencyB.id) sides.push('party');
    if (actor.agencyId === guidance) sides.push('guidance');
    return { sides, roles: actor.roles };
  }

  private resource(d: ResponsibilityDispute, matter: Matter, guidance: string) {
    return { partyAgencyIds: [d.agencyA.id, d.agencyB.id, guidance], flagged: isFlaggedMatter(matter) };
  }

  private readable(actor: Actor, d: ResponsibilityDispute, matter: Matter, guidance: string): boolean {
    return this.policy.can(actor, 'dispute.read', this.resource(d, matter, guidance));
  }

  private authorizeRead(actor: Actor, d: ResponsibilityDispute, matter: Matter, guidance: string): void {
    this.policy.authorize(actor, 'dispute.read', this.resource(d, matter, guidance), 'dispute');
  }

  private async views(actor: Actor, disputes: ResponsibilityDispute[], guidance: string): Promise<DisputeView[]> {
    const ids = disputes.map((d) => d.id);
    const agencies: AgencyDirectory = await this.catalogue.agencies();
    const ref = (aid: string) => agencyRef(agencies, aid) as NonNullable<ReturnType<typeof agencyRef>>;
    const positions = await this.em.find(DisputePosition, { dispute: { $in: ids } }, { orderBy: { statedAt: 'asc' } });
    const clocks = await this.workflowClocks.of('dispute', ids);
    return disputes.map((d) => ({
      id: d.id,
      matter: matterSummary(d.matter.unwrap()),
      agencyA: ref(d.agencyA.id),
      agencyB: ref(d.agencyB.id),
      pattern: d.pattern,
      state: d.state as DisputeState,
      openedByReferralId: d.openedByReferral?.id ?? null,
      positions: positions
        .filter((p) => p.dispute.id === d.id)
        .map((p) => ({
          agency: ref(p.agency.id),
          stance: p.stance,
          boundaryClause: p.boundaryClause,
          legalBasis: p.legalBasis,
          attachmentIds: p.attachmentIds,
          statedAt: p.statedAt.toISOString(),
        })),
      acceptedAt: d.acceptedAt?.toISOString() ?? null,
      ruling:
        d.ruledAt && d.responsibleAgency
          ? {
              responsibleAgency: ref(d.responsibleAgency.id),
              rulingText: d.rulingText ?? '',
              ruledAt: d.ruledAt.toISOString(),
              referralId: d.rulingReferral?.id ?? null,
              boundaryVersionId: d.rulingBoundaryVersion?.id ?? null,
            }
          : null,
      clocks: clocks.get(d.id) ?? [],
      allowedActions: allowedWorkflowActions(
        DISPUTE_LIFECYCLE,
        d.state as DisputeState,
        this.actorOf(actor, d, guidance),
      ),
      createdAt: d.createdAt.toISOString(),
    }));
  }
}
