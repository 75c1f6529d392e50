import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  allowedWorkflowActions,
  ClockCode,
  decideWorkflow,
  REVIEW_LIFECYCLE,
  REVIEW_QUESTIONS,
  Role,
  type ReviewAction,
  type ReviewActionRequest,
  type ReviewOpinion,
  type ReviewQueue,
  type ReviewSide,
  type ReviewState,
  type ReviewView,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { agencyRef } from '../catalogue/catalogue.views.js';
import { WorkflowClocksService } from '../clocks/workflow-clocks.service.js';
import { NotFound } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { OutboxRelay } from '../outbox/outbox.service.js';
import { Matter } from '../referrals/referral.entity.js';
import { ReferralsService } from '../referrals/referrals.service.js';
import { User } from '../users/user.entity.js';
import {
  assertOnMatter,
  conflict,
  definedFields,
  isFlaggedMatter,
  matterSummary,
  nextStateOf,
  recordChange,
} from '../workflows/workflow-support.js';
import { ProcuratorateReview } from './review.entity.js';

const OPINION_OF: Partial<Record<ReviewAction, ReviewOpinion>> = {
  no_objection: 'no_objection',
  suggest: 'suggestion',
  take_up: 'public_interest_litigation',
};
const SUMMARY: Record<ReviewAction, string> = {
  record_checklist: '检察官记录审查意见',
  no_objection: '检察院审查无异议',
  suggest: '检察院制发检察建议，请于期限内书面回复',
  take_up: '检察院作为公益诉讼线索立案审查',
  reply: '被建议单位已书面回复检察建议',
  require_explanation: '检察院要求公安机关说明不立案理由',
  explain: '公安机关已说明不立案理由',
  notify_filing: '检察院通知公安机关立案',
  confirm_filing: '公安机关告知已立案',
  close: '检察监督结案',
};

/**
 * Procuratorate review (检察监督): the prosecutors' queue of flagged matters, the four-question
 * checklist with concerns pointing at evidence, the opinion, and the reviewed agency's reply on a
 * two-month clock.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly catalogue: CatalogueService,
    private readonly referrals: ReferralsService,
    private readonly workflowClocks: WorkflowClocksService,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Matters flagged major/difficult, public-interest clue or suspected crime, and those the bureau
   * sent a supervision request or public-interest pre-review about, with their review if any.
   */
  async queue(actor: Actor): Promise<ReviewQueue> {
    this.policy.assertAttempt(actor, 'review.queue');
    const rows = await this.em.execute<{ id: string; requested: boolean }[]>(
      `select m.id, exists (select 1 from referral r where r.matter_id = m.id and r.to_agency_id = ?
                 and r.kind in ('supervision_request', 'public_interest_pre_review') and r.state <> 'draft') requested
         from matter m
        where m.major_difficult or m.public_interest_clue or m.suspected_crime
           or exists (select 1 from referral r where r.matter_id = m.id and r.to_agency_id = ?
                 and r.kind in ('supervision_request', 'public_interest_pre_review') and r.state <> 'draft')
        order by m.created_at desc limit 500`,
      [actor.agencyId, actor.agencyId],
    );
    const matters = await this.em.find(Matter, { id: { $in: rows.map((r) => r.id) } }, { populate: ['item'] });
    const byId = new Map(matters.map((m) => [m.id, m]));
    const reviews = await this.em.find(
      ProcuratorateReview,
      { matter: { $in: rows.map((r) => r.id) } },
      { orderBy: { createdAt: 'asc' } },
    );
    const latest = new Map(reviews.map((r) => [r.matter.id, r]));
    const agencies = await this.catalogue.agencies();
    return {
      matters: rows.flatMap((row) => {
        const m = byId.get(row.id);
        if (!m) return [];
        const review = latest.get(m.id);
        return [
          {
            matter: {
              ...matterSummary(m),
              township: agencies.get(m.township.id)?.nameZh ?? '',
              flags: {
                majorDifficult: m.majorDifficult,
                publicInterestClue: m.publicInterestClue,
                suspectedCrime: m.suspectedCrime,
              },
              supervisionRequested: row.requested,
            },
            review: review ? { id: review.id, state: review.state as ReviewState } : null,
          },
        ];
      }),
    };
  }

  /** A prosecutor opens a review of a matter in the queue (404 for anything the prosecutor may not see). */
  async open(actor: Actor, matterId: string): Promise<ReviewView> {
    this.policy.assertAttempt(actor, 'review.open');
    const id = await this.em.transactional(async (em) => {
      const { matter, parties } = await this.referrals.readableMatter(actor, matterId, em);
      if (!isFlaggedMatter(matter) && !parties.some((p) => p.agency.id === actor.agencyId)) {
        throw new NotFound('matter');
      }
      const active = await em.findOne(ProcuratorateReview, {
        matter: matterId,
        state: { $nin: ['closed', 'public_interest_litigation'] },
      });
      if (active) throw conflict('该案件已有进行中的检察监督', [{ field: 'reviewId', message: active.id }]);
      const review = em.create(ProcuratorateReview, {
        matter,
        procuratorate: em.getReference(Agency, actor.agencyId),
        bureau: matter.originAgency,
        state: 'in_review',
        openedBy: em.getReference(User, actor.userId),
        replyMeasures: [],
      });
      recordChange(em, {
        workflow: 'review',
        id: review.id,
        matter,
        actor,
        action: 'opened',
        fromState: null,
        state: 'in_review',
        agencyIds: [actor.agencyId, matter.originAgency.id],
        summaryZh: '检察院启动检察监督审查',
      });
      return review.id;
    });
    this.relay.kick();
    return this.get(actor, id);
  }

  async act(actor: Actor, id: string, action: ReviewAction, input: ReviewActionRequest): Promise<ReviewView> {
    await this.em.transactional(async (em) => {
      const review = await em.findOne(ProcuratorateReview, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!review) throw new NotFound('review');
      const matter = await em.findOneOrFail(Matter, { id: review.matter.id }, { populate: ['item'] });
      this.authorizeRead(actor, review, matter);
      const from = review.state as ReviewState;
      const checklist = input.checklist ?? review.checklist ?? undefined;
      const next = nextStateOf(
        decideWorkflow(REVIEW_LIFECYCLE, from, action, this.actorOf(actor, review), { ...input, checklist }),
      );
      if (input.checklist) {
        for (const q of REVIEW_QUESTIONS) {
          const a = input.checklist[q];
          await assertOnMatter(em, matter.id, 'attachment', a.attachmentIds, `checklist.${q}.attachmentIds`);
          await assertOnMatter(em, matter.id, 'timeline_entry', a.timelineEntryIds, `checklist.${q}.timelineEntryIds`);
        }
        review.checklist = input.checklist;
      }
      const opinion = OPINION_OF[action];
      if (opinion) {
        review.opinion = opinion;
        review.opinionText = input.opinionText ?? null;
        review.suggestionText = input.suggestionText ?? null;
      }
      if (action === 'require_explanation') review.policeAgency = await this.policeWhoDidNotFile(em, matter);
      const parties = [
        review.procuratorate.id,
        review.bureau.id,
        ...(review.policeAgency ? [review.policeAgency.id] : []),
      ];
      await this.policeSteps(em, review, matter, action, input);
      if (action === 'suggest') {
        await this.workflowClocks.start(em, {
          workflow: 'review',
          subjectId: review.id,
          matter,
          code: ClockCode.ProcuratorateReply,
          notifyAgencyIds: parties,
          escalateToAgencyIds: [review.procuratorate.id],
          ...(input.replyMonths ? { amount: input.replyMonths } : {}),
        });
      } else if (action === 'reply') {
        review.replyText = input.replyText ?? null;
        review.replyMeasures = input.measures ?? [];
        review.repliedAt = new Date();
        await this.workflowClocks.stop(em, 'review', review.id, [ClockCode.ProcuratorateReply]);
      }
      review.state = next;
      recordChange(em, {
        workflow: 'review',
        id: review.id,
        matter,
        actor,
        action,
        fromState: from,
        state: next,
        agencyIds: parties,
        summaryZh: SUMMARY[action],
        detail: definedFields(input),
      });
    });
    this.relay.kick();
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<ReviewView> {
    const review = await this.em.findOne(ProcuratorateReview, { id }, { populate: ['matter', 'matter.item'] });
    if (!review) throw new NotFound('review');
    this.authorizeRead(actor, review, review.matter.unwrap());
    return (await this.views(actor, [review]))[0] as ReviewView;
  }

  /** The procuratorate's reviews, or the reviews of the caller's agency; oversight roles see all. */
  async list(actor: Actor): Promise<ReviewView[]> {
    const all = hasRole(actor, Role.SystemAdmin, Role.Auditor);
    const reviews = await this.em.find(
      ProcuratorateReview,
      all
        ? {}
        : { $or: [{ procuratorate: actor.agencyId }, { bureau: actor.agencyId }, { policeAgency: actor.agencyId }] },
      { populate: ['matter', 'matter.item'], orderBy: { createdAt: 'desc' }, limit: 200 },
    );
    return this.views(actor, reviews);
  }

  /** The police agency that concluded a suspected-crime transfer of this matter as not filed (409 if none). */
  private async policeWhoDidNotFile(em: EntityManager, matter: Matter) {
    const [row] = await em.execute<{ agency: string }[]>(
      `select r.to_agency_id agency from referral r join timeline_entry t on t.referral_id = r.id
        where r.matter_id = ? and r.kind = 'suspected_crime_transfer' and t.action = 'referral.conclude'
          and t.detail->>'outcome' = 'not_filed' order by t.at desc limit 1`,
      [matter.id],
    );
    if (!row) {
      throw conflict(
        '本案没有公安机关不予立案的涉嫌犯罪移送 (no suspected-crime transfer was concluded as not filed)',
        [{ field: 'referral', message: 'no not_filed suspected_crime_transfer' }],
      );
    }
    return em.getReference(Agency, row.agency, { wrapped: true });
  }

  /** 要求说明不立案理由 and 通知立案: each step with its own clock on public security. */
  private async policeSteps(
    em: EntityManager,
    review: ProcuratorateReview,
    matter: Matter,
    action: ReviewAction,
    input: ReviewActionRequest,
  ): Promise<void> {
    const police = review.policeAgency?.id;
    if (!police) return;
    const start = (code: ClockCode) =>
      this.workflowClocks.start(em, {
        workflow: 'review',
        subjectId: review.id,
        matter,
        code,
        notifyAgencyIds: [review.procuratorate.id, police],
        escalateToAgencyIds: [review.procuratorate.id],
      });
    if (action === 'require_explanation') await start(ClockCode.PoliceExplain);
    if (action === 'notify_filing') await start(ClockCode.PoliceFile);
    if (action === 'explain') {
      review.explanationText = input.replyText ?? null;
      await this.workflowClocks.stop(em, 'review', review.id, [ClockCode.PoliceExplain]);
    }
    if (action === 'confirm_filing') {
      review.filingText = input.replyText ?? null;
      await this.workflowClocks.stop(em, 'review', review.id, [ClockCode.PoliceFile]);
    }
  }

  private actorOf(actor: Actor, r: ProcuratorateReview) {
    const sides: ReviewSide[] = [];
    if (actor.agencyId === r.procuratorate.id) sides.push('prosecutor');
    if (actor.agencyId === r.bureau.id) sides.push('bureau');
    if (r.policeAgency && actor.agencyId === r.policeAgency.id) sides.push('police');
    return { sides, roles: actor.roles };
  }

  /** Only the procuratorate and the reviewed agency (and oversight): not every agency on the matter. */
  private authorizeRead(actor: Actor, r: ProcuratorateReview, matter: Matter): void {
    this.policy.authorize(
      actor,
      'review.read',
      {
        partyAgencyIds: [r.procuratorate.id, r.bureau.id, ...(r.policeAgency ? [r.policeAgency.id] : [])],
        flagged: isFlaggedMatter(matter),
      },
      'review',
    );
  }

  private async views(actor: Actor, reviews: ProcuratorateReview[]): Promise<ReviewView[]> {
    const agencies = await this.catalogue.agencies();
    const ref = (aid: string) => agencyRef(agencies, aid) as NonNullable<ReturnType<typeof agencyRef>>;
    const clocks = await this.workflowClocks.of(
      'review',
      reviews.map((r) => r.id),
    );
    return reviews.map((r) => ({
      id: r.id,
      matter: matterSummary(r.matter.unwrap()),
      procuratorate: ref(r.procuratorate.id),
      bureau: ref(r.bureau.id),
      state: r.state as ReviewState,
      checklist: r.checklist ?? null,
      opinion: r.opinion ?? null,
      opinionText: r.opinionText ?? null,
      suggestionText: r.suggestionText ?? null,
      reply:
        r.repliedAt && r.replyText
          ? { text: r.replyText, measures: r.replyMeasures, at: r.repliedAt.toISOString() }
          : null,
      police: r.policeAgency ? ref(r.policeAgency.id) : null,
      explanation: r.explanationText ?? null,
      filing: r.filingText ?? null,
      clocks: clocks.get(r.id) ?? [],
      allowedActions: allowedWorkflowActions(REVIEW_LIFECYCLE, r.state as ReviewState, this.actorOf(actor, r)),
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
