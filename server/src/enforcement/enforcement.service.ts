import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  AgencyKind,
  allowedWorkflowActions,
  ClockCode,
  decideWorkflow,
  ENFORCEMENT_LIFECYCLE,
  EXECUTION_OUTCOME_LABELS,
  Role,
  type CreateEnforcementRequest,
  type EnforcementAction,
  type EnforcementActionRequest,
  type EnforcementSide,
  type EnforcementState,
  type EnforcementView,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { agencyRef } from '../catalogue/catalogue.views.js';
import { WorkflowClocksService } from '../clocks/workflow-clocks.service.js';
import { Forbidden, NotFound } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { OutboxRelay } from '../outbox/outbox.service.js';
import { Matter, MatterAgency } from '../referrals/referral.entity.js';
import { ReferralsService } from '../referrals/referrals.service.js';
import { User } from '../users/user.entity.js';
import {
  conflict,
  definedFields,
  isFlaggedMatter,
  matterSummary,
  nextStateOf,
  recordChange,
} from '../workflows/workflow-support.js';
import { EnforcementApplication } from './enforcement.entity.js';

const COURT_CLOCKS = [ClockCode.CourtAccept, ClockCode.CourtRule];

/**
 * Court enforcement (申请强制执行): a demand notice first, the head-signed application, the court's
 * acceptance and ruling on the 行政强制法 clocks, and the execution outcome back to the bureau.
 */
@Injectable()
export class EnforcementService {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly catalogue: CatalogueService,
    private readonly referrals: ReferralsService,
    private readonly workflowClocks: WorkflowClocksService,
    private readonly relay: OutboxRelay,
  ) {}

  async create(actor: Actor, input: CreateEnforcementRequest): Promise<EnforcementView> {
    this.policy.assertAttempt(actor, 'enforcement.create');
    const id = await this.em.transactional(async (em) => {
      const { matter, parties } = await this.referrals.readableMatter(actor, input.matterId, em);
      if (!parties.some((p) => p.agency.id === actor.agencyId)) {
        throw new Forbidden('只有案件当事单位可以申请强制执行 (only an agency on the matter can apply)');
      }
      return (await this.draft(em, actor, matter, input, null)).id;
    });
    this.relay.kick();
    return this.get(actor, id);
  }

  /** A draft application, prefilled; also made by a joint interview whose rectification failed. */
  async draft(
    em: EntityManager,
    actor: Actor,
    matter: Matter,
    prefill: Pick<CreateEnforcementRequest, 'decisionNumber' | 'obligation' | 'amountYuan' | 'note'>,
    fromInterviewId: string | null,
  ): Promise<EnforcementApplication> {
    const court = await em.findOne(Agency, { kind: AgencyKind.Court });
    if (!court) throw conflict('本县未登记人民法院 (no court registered)', [{ field: 'court', message: 'missing' }]);
    const application = em.create(EnforcementApplication, {
      matter,
      applicant: em.getReference(Agency, actor.agencyId),
      court,
      state: 'draft',
      decisionNumber: prefill.decisionNumber ?? null,
      obligation: prefill.obligation ?? null,
      amountYuan: prefill.amountYuan ?? null,
      fromInterviewId,
      createdBy: em.getReference(User, actor.userId),
    });
    recordChange(em, {
      workflow: 'enforcement',
      id: application.id,
      matter,
      actor,
      action: 'created',
      fromState: null,
      state: 'draft',
      agencyIds: [actor.agencyId],
      summaryZh: `拟向${court.nameZh}申请强制执行（草稿）`,
      detail: { ...definedFields(prefill), ...(fromInterviewId ? { fromInterviewId } : {}) },
    });
    return application;
  }

  async act(
    actor: Actor,
    id: string,
    action: EnforcementAction,
    input: EnforcementActionRequest,
  ): Promise<EnforcementView> {
    await this.em.transactional(async (em) => {
      const app = await em.findOne(EnforcementApplication, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!app) throw new NotFound('enforcement application');
      const matter = await em.findOneOrFail(Matter, { id: app.matter.id }, { populate: ['item'] });
      await this.authorizeRead(em, actor, app, matter);
      const from = app.state as EnforcementState;
      // The application's prefilled fields count as given.
      const merged = {
        decisionNumber: app.decisionNumber ?? undefined,
        obligation: app.obligation ?? undefined,
        ...definedFields(input),
      };
      const next = nextStateOf(decideWorkflow(ENFORCEMENT_LIFECYCLE, from, action, this.actorOf(actor, app), merged));
      const parties = [app.applicant.id, app.court.id];
      const clock = (code: ClockCode) =>
        this.workflowClocks.start(em, {
          workflow: 'enforcement',
          subjectId: app.id,
          matter,
          code,
          notifyAgencyIds: parties,
          escalateToAgencyIds: [app.applicant.id],
        });
      switch (action) {
        case 'record_demand':
          app.demandNoticeNumber = input.demandNoticeNumber ?? null;
          app.demandNoticeOn = input.demandNoticeOn ?? null;
          break;
        case 'apply':
          app.decisionNumber = merged.decisionNumber ?? null;
          app.obligation = merged.obligation ?? null;
          if (input.amountYuan !== undefined) app.amountYuan = input.amountYuan;
          await clock(ClockCode.CourtAccept);
          break;
        case 'accept':
          await this.workflowClocks.stop(em, 'enforcement', app.id, [ClockCode.CourtAccept]);
          await clock(ClockCode.CourtRule);
          break;
        case 'decline':
        case 'grant':
        case 'refuse':
          app.rulingNumber = input.rulingNumber ?? null;
          app.rulingExecute = action === 'grant';
          app.rulingReasons = input.reasonText ?? null;
          await this.workflowClocks.stop(em, 'enforcement', app.id, COURT_CLOCKS);
          break;
        case 'record_execution':
          app.executionOutcome = input.executionOutcome ?? null;
          app.executionNote = input.executionNote ?? null;
          break;
        case 'withdraw':
          await this.workflowClocks.stop(em, 'enforcement', app.id, COURT_CLOCKS, 'stopped');
          break;
      }
      app.state = next;
      recordChange(em, {
        workflow: 'enforcement',
        id: app.id,
        matter,
        actor,
        action,
        fromState: from,
        state: next,
        agencyIds: parties,
        summaryZh:
          action === 'record_execution' && input.executionOutcome
            ? `执行结果：${EXECUTION_OUTCOME_LABELS[input.executionOutcome]}`
            : `强制执行申请：${ENFORCEMENT_LIFECYCLE.actionLabels[action]}`,
        detail: definedFields(input),
      });
    });
    this.relay.kick();
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<EnforcementView> {
    const app = await this.em.findOne(EnforcementApplication, { id }, { populate: ['matter', 'matter.item'] });
    if (!app) throw new NotFound('enforcement application');
    await this.authorizeRead(this.em, actor, app, app.matter.unwrap());
    return (await this.views(actor, [app]))[0] as EnforcementView;
  }

  /** The applications the caller's agency made, or (a court) received; oversight roles see all. */
  async list(actor: Actor): Promise<EnforcementView[]> {
    const all = hasRole(actor, Role.SystemAdmin, Role.Auditor);
    const apps = await this.em.find(
      EnforcementApplication,
      all ? {} : { $or: [{ applicant: actor.agencyId }, { court: actor.agencyId, state: { $ne: 'draft' } }] },
      { populate: ['matter', 'matter.item'], orderBy: { createdAt: 'desc' }, limit: 200 },
    );
    return this.views(actor, apps);
  }

  private actorOf(actor: Actor, app: EnforcementApplication) {
    const sides: EnforcementSide[] = [];
    if (actor.agencyId === app.applicant.id) sides.push('applicant');
    // A draft is the applicant's own business until it is sent.
    if (actor.agencyId === app.court.id && app.state !== 'draft' && app.state !== 'demanded') sides.push('court');
    return { sides, roles: actor.roles };
  }

  /** The agencies on the matter, the court once the application is sent, prosecutors on flagged matters, oversight. */
  private async authorizeRead(em: EntityManager, actor: Actor, app: EnforcementApplication, matter: Matter) {
    const parties = (await em.find(MatterAgency, { matter: matter.id })).map((p) => p.agency.id);
    const sent = app.state !== 'draft' && app.state !== 'demanded';
    this.policy.authorize(
      actor,
      'enforcement.read',
      {
        partyAgencyIds: [...parties, app.applicant.id, ...(sent ? [app.court.id] : [])],
        flagged: isFlaggedMatter(matter),
      },
      'enforcement application',
    );
  }

  private async views(actor: Actor, apps: EnforcementApplication[]): Promise<EnforcementView[]> {
    const agencies = await this.catalogue.agencies();
    const ref = (aid: string) => agencyRef(agencies, aid) as NonNullable<ReturnType<typeof agencyRef>>;
    const clocks = await this.workflowClocks.of(
      'enforcement',
      apps.map((a) => a.id),
    );
    return apps.map((a) => ({
      id: a.id,
      matter: { ...matterSummary(a.matter.unwrap()), partyName: a.matter.unwrap().partyName },
      applicant: ref(a.applicant.id),
      court: ref(a.court.id),
      state: a.state as EnforcementState,
      decisionNumber: a.decisionNumber ?? null,
      obligation: a.obligation ?? null,
      amountYuan: a.amountYuan ?? null,
      demandNotice:
        a.demandNoticeNumber && a.demandNoticeOn ? { number: a.demandNoticeNumber, on: a.demandNoticeOn } : null,
      ruling:
        a.rulingExecute !== null && a.rulingExecute !== undefined && a.state !== 'not_accepted'
          ? { number: a.rulingNumber ?? '', execute: a.rulingExecute, reasons: a.rulingReasons ?? '' }
          : null,
      execution: a.executionOutcome ? { outcome: a.executionOutcome, note: a.executionNote ?? '' } : null,
      fromInterviewId: a.fromInterviewId ?? null,
      clocks: clocks.get(a.id) ?? [],
      allowedActions: allowedWorkflowActions(
        ENFORCEMENT_LIFECYCLE,
        a.state as EnforcementState,
        this.actorOf(actor, a),
      ),
      createdAt: a.createdAt.toISOString(),
    }));
  }
}
