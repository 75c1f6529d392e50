import {
  lognormalHours,
  pick,
  rngUuid,
  seededRng,
  type ActivityContext,
  type ActivityRows,
  type Rng,
  type Row,
} from './activity.generator.js';

/**
 * The workflows on top of the generated matters and referrals: positions in the disputes and
 * their acceptance and ruling, joint interviews and their follow-up, court applications,
 * prosecutors' reviews, disclosures of concluded decisions, and channel messages with their
 * acknowledgements. Its own random stream (from the same seed), so the matters and referrals
 * stay exactly what they were before these were added. Pure: returns rows, mutates only the
 * dispute rows it was given (their acceptance and ruling).
 */
type CoreRows = Pick<ActivityRows, 'matter' | 'referral' | 'timeline_entry' | 'responsibility_dispute'>;
type WorkflowRows = Omit<
  ActivityRows,
  'matter' | 'matter_agency' | 'referral' | 'timeline_entry' | 'referral_clock' | 'responsibility_dispute'
>;

// Not imported: activity.generator.ts imports this module, so its constants are not set yet here.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (t: number): string => new Date(t).toISOString();
const cstDay = (t: number): string => new Date(t + 8 * HOUR).toISOString().slice(0, 10);

const MATTER_LINES = [
  '现场照片已上传，请查收。',
  '当事人已通知，明日上午到场。',
  '请协助调取相关审批材料。',
  '已安排执法人员复核现场。',
  '案件材料已补充完整。',
  '请于本周内反馈处理意见。',
];
const LIAISON_LINES = [
  '本周联络员例会定于周四下午召开。',
  '请各单位报送本月协作事项清单。',
  '关于职责边界清单修订的意见请于周五前反馈。',
  '请各乡镇（街道）核对本月移送台账。',
];
const ACK_LINES = ['【须确认】请各单位于今日下班前确认收悉。', '【须确认】联合检查方案已下发，请确认。'];

export function generateWorkflowActivity(
  ctx: ActivityContext,
  core: CoreRows,
  opts: { seed: number; asOf: number; messageScale?: number },
): WorkflowRows {
  const rng = seededRng(opts.seed ^ 0x57a75);
  const now = opts.asOf;
  const out: WorkflowRows = {
    dispute_position: [],
    joint_interview: [],
    interview_participant: [],
    enforcement_application: [],
    procuratorate_review: [],
    disclosure: [],
    channel: [],
    channel_member: [],
    channel_message: [],
    channel_ack: [],
  };
  const actorOf = (agencyId: string): string | undefined => ctx.actorsByAgency.get(agencyId);
  const court = ctx.agencies.find((a) => a.kind === 'court');
  const procuratorate = ctx.agencies.find((a) => a.kind === 'procuratorate');
  const lines = ctx.agencies.filter((a) => a.kind === 'line_department');
  const matterById = new Map(core.matter.map((m) => [m.id as string, m]));
  const concludedAt = new Map<string, number>();
  for (const t of core.timeline_entry)
    if (t.action === 'referral.conclude') concludedAt.set(t.referral_id as string, Date.parse(t.at as string));

  disputes(rng, core.responsibility_dispute, out, actorOf, now);

  for (const m of core.matter) {
    const started = Date.parse(m.created_at as string);
    const origin = m.origin_agency_id as string;
    const officer = m.created_by_id as string;
    const general = m.procedure === 'general';
    // 共同约谈: a party refusing to cooperate or to rectify, about 4 % of general-procedure cases.
    if (general && rng() < 0.04 && lines.length) {
      const invited = pick(rng, lines);
      const interview = interviewRow(rng, m, origin, officer, invited.id, started, now);
      if (interview) {
        out.joint_interview.push(interview.row);
        out.interview_participant.push(...interview.participants);
        if (interview.row.escalation_target === 'court' && court)
          out.enforcement_application.push(applicationRow(rng, m, origin, court.id, officer, interview.endedAt, now));
      }
    } else if (general && court && rng() < 0.012) {
      out.enforcement_application.push(applicationRow(rng, m, origin, court.id, officer, started + 40 * DAY, now));
    }
    // 检察监督: flagged matters, and a few others the procuratorate picks for review.
    const flagged = m.public_interest_clue || m.major_difficult || m.suspected_crime;
    if (procuratorate && (flagged || rng() < 0.006)) {
      const by = actorOf(procuratorate.id);
      if (by) {
        const row = reviewRow(
          rng,
          m,
          procuratorate.id,
          origin,
          by,
          started + lognormalHours(rng, 24 * 20, 0.5) * HOUR,
          now,
        );
        if (row) out.procuratorate_review.push(row);
      }
    }
  }

  // 行政执法公示: every concluded referral is a decision to disclose within seven working days.
  for (const r of core.referral) {
    const at = concludedAt.get(r.id as string);
    if (at === undefined) continue;
    out.disclosure.push(disclosureRow(rng, r, at, actorOf(r.to_agency_id as string), now));
  }

  channels(rng, ctx, core, matterById, out, actorOf, now, opts.messageScale ?? 1);
  return out;
}

function disputes(
  rng: Rng,
  rows: Row[],
  out: WorkflowRows,
  actorOf: (agencyId: string) => string | undefined,
  now: number,
): void {
  for (const d of rows) {
    const opened = Date.parse(d.created_at as string);
    const stance = d.pattern === 'both_refuse' ? 'not_ours' : 'ours';
    for (const agency of [d.agency_a_id as string, d.agency_b_id as string]) {
      const by = actorOf(agency);
      const at = opened + lognormalHours(rng, 30, 0.6) * HOUR;
      if (!by || at > now) continue;
      out.dispute_position.push({
        id: rngUuid(rng),
        dispute_id: d.id,
        agency_id: agency,
        stance,
        boundary_clause:
          stance === 'ours' ? '依职责边界清单第2条，属本单位职责' : '依职责边界清单第5条，不属本单位职责',
        legal_basis: '《浙江省综合行政执法条例》第十条',
        attachment_ids: '{}',
        stated_by_id: by,
        stated_at: iso(at),
      });
    }
    // The generator's own state says ruled (a month old) or open; between them, accepted.
    const accepted = opened + lognormalHours(rng, 72, 0.5) * HOUR;
    const ruled = d.state === 'ruled' ? Math.min(now, accepted + lognormalHours(rng, 24 * 12, 0.4) * HOUR) : null;
    if (d.state !== 'ruled' && accepted < now && rng() < 0.6) d.state = 'accepted';
    d.accepted_at = d.state === 'open' ? null : iso(Math.min(accepted, now));
    d.ruled_at = ruled === null ? null : iso(ruled);
    d.responsible_agency_id = ruled === null ? null : rng() < 0.5 ? d.agency_a_id : d.agency_b_id;
    d.ruling_text = ruled === null ? null : '经综合行政执法指导办研究，依职责边界清单明确由该单位负责办理。';
  }
}

function interviewRow(
  rng: Rng,
  m: Row,
  origin: string,
  officer: string,
  invitedAgency: string,
  started: number,
  now: number,
): { row: Row; participants: Row[]; endedAt: number } | null {
  const created = started + lognormalHours(rng, 24 * 10, 0.5) * HOUR;
  if (created > now) return null;
  const scheduled = created + (3 + Math.floor(rng() * 6)) * DAY;
  const held = scheduled <= now;
  const cancelled = rng() < 0.06;
  const deadlineAt = scheduled + 15 * DAY;
  const verifiedAt = deadlineAt + lognormalHours(rng, 48, 0.5) * HOUR;
  const verified = held && !cancelled && verifiedAt <= now;
  const rectified = verified ? rng() < 0.78 : null;
  const state = cancelled
    ? 'cancelled'
    : !held
      ? 'scheduled'
      : !verified
        ? scheduled + 2 * DAY <= now
          ? 'awaiting_rectification'
          : 'held'
        : rectified
          ? 'rectified'
          : 'escalated';
  const escalation = state === 'escalated' ? (rng() < 0.6 ? 'court' : 'public_security') : null;
  const id = rngUuid(rng);
  const updated = Math.min(now, verified ? verifiedAt : held ? scheduled : created);
  const party = (m.party_name as string) ?? '当事人';
  const row: Row = {
    id,
    matter_id: m.id,
    organiser_id: origin,
    state,
    reason: rng() < 0.6 ? 'refuses_rectification' : 'refuses_cooperation',
    party_name: party,
    party_contact: `1${Math.floor(3e9 + rng() * 6e9)}`.slice(0, 11),
    agenda: `就${party}拒不整改问题开展共同约谈，明确整改要求和期限。`,
    invited_officer_ids: '{}',
    scheduled_at: iso(scheduled),
    place: '县综合行政执法指导办三楼会议室',
    sequence: 0,
    summary: held && !cancelled ? '当事人承认违法事实，承诺限期整改。' : null,
    commitments: held && !cancelled ? '{限期拆除违法设施,提交整改报告}' : '{}',
    rectification_deadline: held && !cancelled ? cstDay(deadlineAt) : null,
    rectified,
    verification_evidence: verified ? (rectified ? '复查现场，已整改到位。' : '复查现场，未按期整改。') : null,
    verification_attachment_ids: '{}',
    escalation_target: escalation,
    escalation_referral_id: null,
    escalation_enforcement_id: null,
    cancel_reason: cancelled ? '当事人已主动整改，无需约谈' : null,
    created_by_id: officer,
    created_at: iso(created),
    updated_at: iso(updated),
    revision: 1,
  };
  const attended = held && !cancelled;
  const participants = [
    { agency: origin, invited: false },
    { agency: invitedAgency, invited: true },
  ].map((p) => ({
    id: rngUuid(rng),
    interview_id: id,
    agency_id: p.agency,
    invited: p.invited,
    confirmed_at: iso(created + (p.invited ? DAY : 0)),
    attendee_name: attended ? '联络员' : null,
    attended: attended ? true : null,
    minutes_signed_at: attended ? iso(scheduled + 2 * HOUR) : null,
    minutes_signed_by_id: null,
  }));
  return { row, participants, endedAt: verifiedAt };
}

function applicationRow(
  rng: Rng,
  m: Row,
  applicant: string,
  court: string,
  officer: string,
  created: number,
  now: number,
): Row {
  const at = Math.min(created, now);
  // draft → demanded (催告) → applied → accepted → granted / refused → executed
  const steps = [at, at + 10 * DAY, at + 22 * DAY, at + 29 * DAY, at + 60 * DAY, at + 95 * DAY];
  const reached = steps.filter((t) => t <= now).length;
  const withdrawn = rng() < 0.04;
  const notAccepted = rng() < 0.05;
  const granted = rng() < 0.88;
  let state =
    ['draft', 'demanded', 'applied', 'accepted', granted ? 'granted' : 'refused', 'executed'][reached - 1] ?? 'draft';
  if (withdrawn && reached <= 2) state = 'withdrawn';
  if (notAccepted && reached >= 4) state = 'not_accepted';
  if (state === 'executed' && !granted) state = 'refused';
  const ruled = ['granted', 'refused', 'executed'].includes(state);
  const year = cstDay(at).slice(0, 4);
  return {
    id: rngUuid(rng),
    matter_id: m.id,
    applicant_id: applicant,
    court_id: court,
    state,
    decision_number: `龙综执罚决字〔${year}〕第${Math.floor(rng() * 900) + 100}号`,
    obligation: '限期拆除违法建筑物并缴纳罚款',
    amount_yuan: Math.round(2000 + rng() * 48000),
    demand_notice_number: reached >= 2 ? `龙综执催字〔${year}〕第${Math.floor(rng() * 900) + 100}号` : null,
    demand_notice_on: reached >= 2 ? cstDay(steps[1] ?? at) : null,
    ruling_number: ruled ? `（${year}）浙0825行审${Math.floor(rng() * 900) + 100}号` : null,
    ruling_execute: ruled ? state !== 'refused' : null,
    ruling_reasons: state === 'refused' ? '行政决定认定事实不清' : null,
    execution_outcome:
      state === 'executed' ? pick(rng, ['party_complied', 'court_executed', 'original_state_restored']) : null,
    execution_note: state === 'executed' ? '已执行完毕' : null,
    from_interview_id: null,
    created_by_id: officer,
    created_at: iso(at),
    updated_at: iso(steps[Math.max(0, reached - 1)] ?? at),
    revision: 1,
  };
}

function reviewRow(
  rng: Rng,
  m: Row,
  procuratorate: string,
  bureau: string,
  by: string,
  opened: number,
  now: number,
): Row | null {
  if (opened > now) return null;
  const opinionAt = opened + lognormalHours(rng, 24 * 15, 0.4) * HOUR;
  const x = rng();
  const opinion =
    opinionAt > now ? null : x < 0.55 ? 'no_objection' : x < 0.94 ? 'suggestion' : 'public_interest_litigation';
  const replyAt = opinionAt + lognormalHours(rng, 24 * 40, 0.4) * HOUR;
  const replied = opinion === 'suggestion' && replyAt <= now && rng() < 0.92;
  const state =
    opinion === null
      ? 'in_review'
      : opinion === 'no_objection'
        ? 'closed'
        : opinion === 'public_interest_litigation'
          ? 'public_interest_litigation'
          : replied
            ? 'replied'
            : 'awaiting_reply';
  return {
    id: rngUuid(rng),
    matter_id: m.id,
    procuratorate_id: procuratorate,
    bureau_id: bureau,
    state,
    opened_by_id: by,
    checklist: null,
    opinion,
    opinion_text: opinion ? '经审查，案件事实基本清楚。' : null,
    suggestion_text: opinion === 'suggestion' ? '建议进一步规范证据收集和法律文书制作。' : null,
    reply_text: replied ? '已组织专题整改，完善执法案卷评查机制。' : null,
    reply_measures: replied ? '{开展案卷评查,组织专题培训}' : '{}',
    replied_at: replied ? iso(replyAt) : null,
    police_agency_id: null,
    explanation_text: null,
    filing_text: null,
    created_at: iso(opened),
    updated_at: iso(Math.min(now, replied ? replyAt : opinion ? opinionAt : opened)),
    revision: 1,
  };
}

function disclosureRow(rng: Rng, r: Row, concluded: number, publisher: string | undefined, now: number): Row {
  const decidedOn = cstDay(concluded);
  // Seven working days: nine calendar days is close enough for demo data.
  const due = concluded + 9 * DAY;
  const x = rng();
  const publishAt = x < 0.86 ? concluded + (1 + rng() * 6) * DAY : x < 0.96 ? due + (1 + rng() * 10) * DAY : null;
  const withdrawn = rng() < 0.01;
  const published = publishAt !== null && publishAt <= now && publisher !== undefined;
  const state = withdrawn ? 'withdrawn' : published ? 'published' : 'queued';
  return {
    id: rngUuid(rng),
    matter_id: r.matter_id,
    referral_id: r.id,
    agency_id: r.to_agency_id,
    decided_on: decidedOn,
    due_on: cstDay(due),
    decision: '依据《中华人民共和国行政处罚法》作出行政处罚决定。',
    state,
    published_at: published || withdrawn ? iso(publishAt ?? concluded + DAY) : null,
    published_by_id: published || withdrawn ? (publisher ?? null) : null,
    withdrawn_at: withdrawn ? iso(Math.min(now, concluded + 12 * DAY)) : null,
    withdrawn_by_id: withdrawn ? (publisher ?? null) : null,
    withdraw_reason: withdrawn ? '行政复议撤销原处罚决定' : null,
    created_at: iso(concluded),
  };
}

/**
 * Channels: a matter channel for most matters with a referral (sender and receiver talk), three
 * standing liaison channels and a quarterly joint meeting. A quarter of the messages ask for
 * acknowledgement; most are acknowledged within the hour, some never.
 */
function channels(
  rng: Rng,
  ctx: ActivityContext,
  core: CoreRows,
  matterById: Map<string, Row>,
  out: WorkflowRows,
  actorOf: (agencyId: string) => string | undefined,
  now: number,
  scale: number,
): void {
  // A busier province says more in the same time, and asks for 须确认 less often per message.
  const post = (channel: Row, senders: string[], recipients: string[], from: number, count: number, text: string[]) => {
    let at = from;
    let seq = (channel.last_seq as number) ?? 0;
    for (let i = 0; i < Math.round(count * scale); i++) {
      at += lognormalHours(rng, 6 / scale, 1) * HOUR;
      if (at > now) break;
      const sender = pick(rng, senders);
      const ack = rng() < 0.25 / scale;
      const id = rngUuid(rng);
      seq++;
      out.channel_message.push({
        id,
        channel_id: channel.id,
        seq,
        client_id: null,
        kind: 'user',
        sender_id: sender,
        body: ack ? pick(rng, ACK_LINES) : pick(rng, text),
        reply_to: null,
        mention_user_ids: '{}',
        mention_agency_ids: '{}',
        attachment_ids: '{}',
        requires_ack: ack,
        ack_closed_at: null,
        version: 1,
        edited_at: null,
        retracted_at: null,
        retracted_by_id: null,
        system: null,
        source_key: null,
        created_at: iso(at),
      });
      if (!ack) continue;
      for (const user of recipients) {
        if (user === sender) continue;
        const acked = at + lognormalHours(rng, 0.6, 1.2) * HOUR;
        out.channel_ack.push({
          id: rngUuid(rng),
          message_id: id,
          user_id: user,
          acked_at: acked <= now && rng() < 0.93 ? iso(acked) : null,
          reminders: 0,
        });
      }
    }
    channel.last_seq = seq;
  };
  const seen = new Set<string>();
  for (const r of core.referral) {
    const matterId = r.matter_id as string;
    if (seen.has(matterId) || rng() > 0.7) continue;
    seen.add(matterId);
    const m = matterById.get(matterId);
    const receiver = actorOf(r.to_agency_id as string);
    if (!m || !receiver) continue;
    const channel: Row = {
      id: rngUuid(rng),
      kind: 'matter',
      title: `${m.number as string} 案件协同`,
      topic: null,
      matter_id: matterId,
      direct_key: null,
      created_by_id: null,
      created_at: r.created_at,
      archived_at: null,
      archived_by_id: null,
      last_seq: 0,
      last_change_seq: 0,
    };
    out.channel.push(channel);
    const sender = r.created_by_id as string;
    post(
      channel,
      [sender, receiver],
      [sender, receiver],
      Date.parse(r.created_at as string),
      2 + Math.floor(rng() * 6),
      MATTER_LINES,
    );
  }
  const liaisons = ctx.agencies.filter((a) => actorOf(a.id));
  const liaisonUsers = liaisons.map((a) => actorOf(a.id) as string);
  const first = core.matter.reduce((t, m) => Math.min(t, Date.parse(m.created_at as string)), now);
  const standing: [string, string][] = [
    ['liaison', '综合行政执法联络员群'],
    ['liaison', '乡镇（街道）执法联络群'],
    ['liaison', '两法衔接工作联络群'],
    ['joint_meeting', '综合行政执法联席会议'],
  ];
  for (const [kind, title] of standing) {
    const channel: Row = {
      id: rngUuid(rng),
      kind,
      title,
      topic: kind === 'liaison' ? '日常协作事项沟通' : '季度联席会议议题与纪要',
      matter_id: null,
      direct_key: null,
      created_by_id: liaisonUsers[0] ?? null,
      created_at: iso(first),
      archived_at: null,
      archived_by_id: null,
      last_seq: 0,
      last_change_seq: 0,
    };
    out.channel.push(channel);
    const members =
      kind === 'liaison'
        ? liaisons.map((a) => ({ agency: a.id, user: null }))
        : liaisonUsers.slice(0, 8).map((u) => ({ agency: null, user: u }));
    for (const mb of members)
      out.channel_member.push({
        id: rngUuid(rng),
        channel_id: channel.id,
        user_id: mb.user,
        agency_id: mb.agency,
        added_by_id: null,
        added_at: iso(first),
        removed_at: null,
        removed_by_id: null,
      });
    const recipients = kind === 'liaison' ? liaisonUsers.slice(0, 12) : liaisonUsers.slice(0, 8);
    post(
      channel,
      recipients,
      recipients,
      first,
      Math.ceil((now - first) / (kind === 'liaison' ? 6 * HOUR : 2 * DAY)),
      LIAISON_LINES,
    );
  }
}
