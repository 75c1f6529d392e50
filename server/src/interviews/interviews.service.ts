import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { createEvent } from 'ics';
import {
  AgencyKind,
  allowedWorkflowActions,
  ClockCode,
  decideWorkflow,
  INTERVIEW_LIFECYCLE,
  Role,
  todayInChina,
  type CreateInterviewRequest,
  type InterviewAction,
  type InterviewActionRequest,
  type InterviewSide,
  type InterviewState,
  type InterviewView,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { agencyRef } from '../catalogue/catalogue.views.js';
import { WorkflowClocksService } from '../clocks/workflow-clocks.service.js';
import { Forbidden, NotFound, ValidationFailed } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { EnforcementService } from '../enforcement/enforcement.service.js';
import { OutboxRelay } from '../outbox/outbox.service.js';
import { Matter, MatterAgency, Referral } from '../referrals/referral.entity.js';
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
import { InterviewParticipant, JointInterview } from './interview.entity.js';

const HOUR = 3_600_000;

/**
 * Joint interviews (共同约谈): invitations confirmed with attendees, scheduling (with an .ics
 * invitation), co-signed minutes, a rectification deadline on a clock that reminds the organiser,
 * verification, and — not rectified — one action that prefills a referral to public security or
 * an application to the court.
 */
@Injectable()
export class InterviewsService {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly catalogue: CatalogueService,
    private readonly referrals: ReferralsService,
    private readonly enforcement: EnforcementService,
    private readonly workflowClocks: WorkflowClocksService,
    private readonly relay: OutboxRelay,
  ) {}

  async create(actor: Actor, input: CreateInterviewRequest): Promise<InterviewView> {
    this.policy.assertAttempt(actor, 'interview.create');
    const id = await this.em.transactional(async (em) => {
      const { matter, parties } = await this.referrals.readableMatter(actor, input.matterId, em);
      if (!parties.some((p) => p.agency.id === actor.agencyId)) {
        throw new Forbidden('只有案件当事单位可以发起约谈 (only an agency on the matter can propose an interview)');
      }
      const invited = [...new Set(input.invitedAgencyIds)].filter((a) => a !== actor.agencyId);
      const agencies = await em.find(Agency, { id: { $in: invited } });
      if (agencies.length !== invited.length) {
        throw new ValidationFailed([{ field: 'invitedAgencyIds', message: '含未知单位 (unknown agency)' }]);
      }
      if (!agencies.some((a) => a.kind === AgencyKind.PublicSecurity)) {
        throw new ValidationFailed([
          { field: 'invitedAgencyIds', message: '共同约谈须邀请公安机关 (public security must be invited)' },
        ]);
      }
      const officers = await em.find(User, { id: { $in: input.invitedOfficerIds } });
      if (officers.length !== input.invitedOfficerIds.length || officers.some((u) => !invited.includes(u.agency.id))) {
        throw new ValidationFailed([
          { field: 'invitedOfficerIds', message: '受邀人员须为受邀单位的在册人员 (officers of the invited agencies)' },
        ]);
      }
      const interview = em.create(JointInterview, {
        matter,
        organiser: em.getReference(Agency, actor.agencyId),
        state: 'proposed',
        reason: input.reason,
        partyName: input.party.name,
        partyContact: input.party.contact,
        agenda: input.agenda,
        invitedOfficerIds: input.invitedOfficerIds,
        commitments: [],
        verificationAttachmentIds: [],
        createdBy: em.getReference(User, actor.userId),
      });
      em.create(InterviewParticipant, {
        interview,
        agency: em.getReference(Agency, actor.agencyId),
        invited: false,
        confirmedAt: new Date(),
      });
      for (const a of invited)
        em.create(InterviewParticipant, { interview, agency: em.getReference(Agency, a), invited: true });
      recordChange(em, {
        workflow: 'interview',
        id: interview.id,
        matter,
        actor,
        action: 'proposed',
        fromState: null,
        state: 'proposed',
        agencyIds: [actor.agencyId, ...invited],
        summaryZh: `发起共同约谈：${input.party.name}`,
        detail: { reason: input.reason, invitedAgencyIds: invited },
      });
      return interview.id;
    });
    this.relay.kick();
    return this.get(actor, id);
  }

  async act(actor: Actor, id: string, action: InterviewAction, input: InterviewActionRequest): Promise<InterviewView> {
    await this.em.transactional(async (em) => {
      const interview = await em.findOne(JointInterview, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!interview) throw new NotFound('interview');
      const matter = await em.findOneOrFail(Matter, { id: interview.matter.id }, { populate: ['item'] });
      const participants = await em.find(InterviewParticipant, { interview: id });
      await this.authorizeRead(em, actor, interview, matter, participants);
      const from = interview.state as InterviewState;
      const next = nextStateOf(
        decideWorkflow(INTERVIEW_LIFECYCLE, from, action, this.actorOf(actor, interview, participants), input),
      );
      const mine = participants.find((p) => p.agency.id === actor.agencyId);
      const summaryZh = await this.apply(em, actor, interview, matter, participants, mine, action, input);
      interview.state = next;
      recordChange(em, {
        workflow: 'interview',
        id: interview.id,
        matter,
        actor,
        action,
        fromState: from,
        state: next,
        agencyIds: participants.map((p) => p.agency.id),
        summaryZh,
        detail: definedFields(input),
      });
    });
    this.relay.kick();
    return this.get(actor, id);
  }

  /** What each action does beyond the state change; returns the line for the timeline and channel. */
  private async apply(
    em: EntityManager,
    actor: Actor,
    interview: JointInterview,
    matter: Matter,
    participants: InterviewParticipant[],
    mine: InterviewParticipant | undefined,
    action: InterviewAction,
    input: InterviewActionRequest,
  ): Promise<string> {
    const agencies = await this.catalogue.agencies(em);
    const name = (p: InterviewParticipant) => agencies.get(p.agency.id)?.nameZh ?? p.agency.id;
    switch (action) {
      case 'confirm':
        if (mine) Object.assign(mine, { confirmedAt: new Date(), attendeeName: input.attendeeName ?? null });
        return `${mine ? name(mine) : ''}确认参加，参加人：${input.attendeeName ?? ''}`;
      case 'schedule':
      case 'reschedule': {
        const pending = participants.filter((p) => p.invited && !p.confirmedAt);
        if (pending.length > 0) {
          throw conflict(`尚有单位未确认参加：${pending.map(name).join('、')}`, [
            { field: 'confirmations', message: pending.map((p) => p.agency.id).join(',') },
          ]);
        }
        interview.scheduledAt = new Date(input.scheduledAt ?? '');
        interview.place = input.place ?? null;
        if (action === 'reschedule') interview.sequence++;
        return `${action === 'schedule' ? '约谈定于' : '约谈改期至'} ${input.scheduledAt ?? ''}，地点：${input.place ?? ''}`;
      }
      case 'hold': {
        const deadline = input.rectificationDeadline ?? '';
        if (deadline <= todayInChina()) {
          throw new ValidationFailed([
            { field: 'rectificationDeadline', message: '整改期限须晚于今日 (a day after today)' },
          ]);
        }
        for (const a of input.attendance ?? []) {
          const p = participants.find((x) => x.agency.id === a.agencyId);
          if (!p) throw new ValidationFailed([{ field: 'attendance', message: `不是约谈参加单位：${a.agencyId}` }]);
          p.attended = a.attended;
          if (a.attendeeName) p.attendeeName = a.attendeeName;
        }
        interview.summary = input.summary ?? null;
        interview.commitments = input.commitments ?? [];
        interview.rectificationDeadline = deadline;
        await this.workflowClocks.start(em, {
          workflow: 'interview',
          subjectId: interview.id,
          matter,
          code: ClockCode.Rectification,
          deadlineDay: deadline,
          notifyAgencyIds: [interview.organiser.id],
          escalateToAgencyIds: participants.map((p) => p.agency.id),
        });
        return `约谈已举行，当事人承诺于 ${deadline} 前整改到位`;
      }
      case 'sign_minutes':
        if (!mine?.attended) {
          throw conflict('只有到场单位会签约谈记录 (only agencies that attended sign the minutes)', [
            { field: 'attendance', message: 'not attended' },
          ]);
        }
        mine.minutesSignedAt = new Date();
        mine.minutesSignedBy = em.getReference(User, actor.userId, { wrapped: true });
        return `${name(mine)}已会签约谈记录`;
      case 'start_follow_up': {
        const unsigned = participants.filter((p) => p.attended && !p.minutesSignedAt);
        if (unsigned.length > 0) {
          throw conflict(`尚有到场单位未会签约谈记录：${unsigned.map(name).join('、')}`, [
            { field: 'signatures', message: unsigned.map((p) => p.agency.id).join(',') },
          ]);
        }
        return '约谈记录会签完毕，进入整改跟踪';
      }
      case 'verify_rectified':
      case 'escalate':
        await assertOnMatter(em, matter.id, 'attachment', input.evidenceAttachmentIds, 'evidenceAttachmentIds');
        interview.rectified = action === 'verify_rectified';
        interview.verificationEvidence = input.evidence ?? null;
        interview.verificationAttachmentIds = input.evidenceAttachmentIds ?? [];
        await this.workflowClocks.stop(em, 'interview', interview.id, [ClockCode.Rectification]);
        if (action === 'verify_rectified') return '核查确认当事人已整改';
        return this.escalate(em, actor, interview, matter, input);
      case 'cancel':
        interview.cancelReason = input.reasonText ?? null;
        await this.workflowClocks.stop(em, 'interview', interview.id, [ClockCode.Rectification], 'stopped');
        return `约谈取消：${input.reasonText ?? ''}`;
    }
  }

  /** Not rectified: a draft referral to public security, or a draft application to the court, prefilled. */
  private async escalate(
    em: EntityManager,
    actor: Actor,
    interview: JointInterview,
    matter: Matter,
    input: InterviewActionRequest,
  ): Promise<string> {
    const facts = [
      `经共同约谈（${interview.scheduledAt?.toISOString().slice(0, 10) ?? ''}），当事人${interview.partyName}承诺：${interview.commitments.join('；')}。`,
      `整改期限 ${interview.rectificationDeadline ?? ''} 届满后核查：${input.evidence ?? ''}`,
    ].join('\n');
    interview.escalationTarget = input.escalateTo ?? null;
    if (input.escalateTo === 'court') {
      const draft = await this.enforcement.draft(
        em,
        actor,
        matter,
        { obligation: interview.commitments.join('；'), note: facts },
        interview.id,
      );
      interview.escalationEnforcementId = draft.id;
      return '当事人未整改，已拟向人民法院申请强制执行';
    }
    // The referral service's own path (routing, timeline, outbox), joined to this transaction.
    const referral = await this.referrals.createReferral(actor, {
      matterId: matter.id,
      kind: input.referralKind,
      note: facts,
      submit: false,
    });
    interview.escalationReferral = em.getReference(Referral, referral.id, { wrapped: true });
    return '当事人未整改，已拟移送公安机关';
  }

  async get(actor: Actor, id: string): Promise<InterviewView> {
    const interview = await this.em.findOne(JointInterview, { id }, { populate: ['matter', 'matter.item'] });
    if (!interview) throw new NotFound('interview');
    const participants = await this.em.find(InterviewParticipant, { interview: id });
    await this.authorizeRead(this.em, actor, interview, interview.matter.unwrap(), participants);
    return (await this.views(actor, [interview]))[0] as InterviewView;
  }

  /** Interviews the caller's agency organises or is invited to; oversight roles see all. */
  async list(actor: Actor): Promise<InterviewView[]> {
    const all = hasRole(actor, Role.SystemAdmin, Role.Auditor);
    const interviews = await this.em.find(
      JointInterview,
      all
        ? {}
        : {
            id: {
              $in: (await this.em.find(InterviewParticipant, { agency: actor.agencyId })).map((p) => p.interview.id),
            },
          },
      { populate: ['matter', 'matter.item'], orderBy: { createdAt: 'desc' }, limit: 200 },
    );
    return this.views(actor, interviews);
  }

  /** The invitation as iCalendar, for every participant; the SEQUENCE says which version it is. */
  async invitation(actor: Actor, id: string): Promise<{ fileName: string; body: string }> {
    const interview = await this.em.findOne(JointInterview, { id }, { populate: ['matter', 'organiser'] });
    if (!interview) throw new NotFound('interview');
    const participants = await this.em.find(InterviewParticipant, { interview: id });
    await this.authorizeRead(this.em, actor, interview, interview.matter.unwrap(), participants);
    if (!interview.scheduledAt) {
      throw conflict('约谈尚未安排时间地点 (not scheduled yet)', [{ field: 'state', message: interview.state }]);
    }
    const agencies = await this.catalogue.agencies();
    const { error, value } = createEvent({
      uid: `interview-${interview.id}@xietong`,
      sequence: interview.sequence,
      method: 'PUBLISH',
      productId: 'xietong/joint-interview',
      start: interview.scheduledAt.getTime(),
      startInputType: 'utc',
      startOutputType: 'utc',
      end: interview.scheduledAt.getTime() + 2 * HOUR,
      endInputType: 'utc',
      endOutputType: 'utc',
      title: `共同约谈：${interview.partyName}（${interview.matter.unwrap().number}）`,
      description: interview.agenda,
      location: interview.place ?? '',
      status: interview.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      organizer: { name: interview.organiser.unwrap().nameZh },
      attendees: participants.map((p) => ({
        name: `${agencies.get(p.agency.id)?.nameZh ?? ''}${p.attendeeName ? ` ${p.attendeeName}` : ''}`,
        rsvp: false,
        partstat: p.confirmedAt ? 'ACCEPTED' : 'NEEDS-ACTION',
      })),
    });
    if (error || !value) throw error ?? new Error('ics: no output');
    return { fileName: `共同约谈-${interview.matter.unwrap().number}.ics`, body: value };
  }

  private actorOf(actor: Actor, interview: JointInterview, participants: InterviewParticipant[]) {
    const sides: InterviewSide[] = [];
    if (actor.agencyId === interview.organiser.id) sides.push('organiser');
    if (participants.some((p) => p.invited && p.agency.id === actor.agencyId)) sides.push('invited');
    return { sides, roles: actor.roles };
  }

  private async authorizeRead(
    em: EntityManager,
    actor: Actor,
    interview: JointInterview,
    matter: Matter,
    participants: InterviewParticipant[],
  ): Promise<void> {
    const onMatter = (await em.find(MatterAgency, { matter: matter.id })).map((p) => p.agency.id);
    this.policy.authorize(
      actor,
      'interview.read',
      { partyAgencyIds: [...onMatter, ...participants.map((p) => p.agency.id)], flagged: isFlaggedMatter(matter) },
      'interview',
    );
  }

  private async views(actor: Actor, interviews: JointInterview[]): Promise<InterviewView[]> {
    const ids = interviews.map((i) => i.id);
    const agencies = await this.catalogue.agencies();
    const ref = (aid: string) => agencyRef(agencies, aid) as NonNullable<ReturnType<typeof agencyRef>>;
    const participants = await this.em.find(
      InterviewParticipant,
      { interview: { $in: ids } },
      { orderBy: { invited: 'asc' } },
    );
    const clocks = await this.workflowClocks.of('interview', ids);
    return interviews.map((i) => {
      // The organiser first, then the invited agencies by code: a stable order for every reader.
      const mine = participants
        .filter((p) => p.interview.id === i.id)
        .sort(
          (a, b) => Number(a.invited) - Number(b.invited) || ref(a.agency.id).code.localeCompare(ref(b.agency.id).code),
        );
      return {
        id: i.id,
        matter: matterSummary(i.matter.unwrap()),
        organiser: ref(i.organiser.id),
        state: i.state as InterviewState,
        reason: i.reason,
        party: { name: i.partyName, contact: i.partyContact },
        agenda: i.agenda,
        invitedOfficerIds: i.invitedOfficerIds,
        participants: mine.map((p) => ({
          agency: ref(p.agency.id),
          invited: p.invited,
          confirmedAt: p.confirmedAt?.toISOString() ?? null,
          attendeeName: p.attendeeName ?? null,
          attended: p.attended ?? null,
          minutesSignedAt: p.minutesSignedAt?.toISOString() ?? null,
        })),
        scheduledAt: i.scheduledAt?.toISOString() ?? null,
        place: i.place ?? null,
        sequence: i.sequence,
        minutes:
          i.summary && i.rectificationDeadline
            ? { summary: i.summary, commitments: i.commitments, rectificationDeadline: i.rectificationDeadline }
            : null,
        verification:
          i.rectified !== null && i.rectified !== undefined
            ? {
                rectified: i.rectified,
                evidence: i.verificationEvidence ?? '',
                attachmentIds: i.verificationAttachmentIds,
              }
            : null,
        escalation: i.escalationTarget
          ? {
              target: i.escalationTarget,
              referralId: i.escalationReferral?.id ?? null,
              enforcementId: i.escalationEnforcementId ?? null,
            }
          : null,
        cancelReason: i.cancelReason ?? null,
        clocks: clocks.get(i.id) ?? [],
        allowedActions: allowedWorkflowActions(
          INTERVIEW_LIFECYCLE,
          i.state as InterviewState,
          this.actorOf(actor, i, mine),
        ),
        createdAt: i.createdAt.toISOString(),
      };
    });
  }
}
