import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  AgencyKind,
  CLOCK_PAUSES_ON,
  ClockState,
  ClockStep,
  extendClock,
  LEGAL_CLOCKS,
  REFERRAL_CLOCKS,
  scheduleClock,
  validateArrangement,
  WorkCalendar,
  type ClockCode,
  type ClockRuleView,
  type ClockSchedule,
  type ClockSettingRequest,
  CLOCK_CODES,
  type ExtensionDecision,
  type ExtensionRequest,
  type ReferralKind,
  type ReferralState,
  type YearArrangement,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { AppConfig } from '../config/app-config.provider.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { DeliveryProcessor } from '../outbox/delivery.processor.js';
import { OutboxRelay, type RoutedJob } from '../outbox/outbox.service.js';
import { QueueService } from '../queue/queue.service.js';
import { Referral, TimelineEntry } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';
import { ClockSetting, HolidayArrangement, ReferralClock } from './clock.entity.js';

/** A clock as it starts: running, generation 0, never warned or extended. */
export interface StartingClock {
  code: ClockCode;
  state: ClockState;
  startedAt: Date;
  deadline: Date;
  warnAt: Date;
  escalateAt: Date;
  provisional: boolean;
  generation: number;
}

const LIVE: readonly ClockState[] = [ClockState.Running, ClockState.Paused, ClockState.Overdue];
/** How long a node may start clocks with a county's amounts after another node changed them. */
const SETTINGS_CACHE_MS = 5_000;
const CALENDAR_CACHE_MS = 60_000;
const STEPS: readonly ClockStep[] = [ClockStep.Warn, ClockStep.Overdue, ClockStep.Escalate];
const clockJobId = (clockId: string, generation: number, step: ClockStep): string =>
  `clock-${clockId}-g${generation}-${step}`;

/**
 * The legal clocks of referrals. A referral's state change starts, stops, pauses or resumes
 * clocks in the same transaction; the steps (warn, overdue, escalate) are delayed jobs, queued
 * through the outbox so that a crash never loses one, and keyed by the clock's generation so
 * that a moved clock reschedules rather than piles up.
 */
@Injectable()
export class ClocksService implements OnModuleInit {
  private readonly logger = new Logger(ClocksService.name);
  private cachedCalendar: { at: number; calendar: WorkCalendar } | undefined;
  private cachedAmounts: { at: number; amounts: Map<ClockCode, number> } | undefined;
  /** An agency's kind never changes once it exists (a township does not become a court). */
  private readonly agencyKinds = new Map<string, AgencyKind>();

  constructor(
    private readonly em: EntityManager,
    private readonly queues: QueueService,
    private readonly delivery: DeliveryProcessor,
    private readonly relay: OutboxRelay,
    private readonly policy: PolicyService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.relay.route('clock.schedule', (payload) => this.stepJobs(payload));
    // Delivery jobs of this topic queued before the relay routed it directly.
    this.delivery.registerTopic('clock.schedule', (payload) => this.enqueueSteps(payload));
    this.queues.handle('clocks', 'clock.step', (job) => this.step(job.clockId, job.generation, job.step));
    this.queues.onRedisLost('referral clocks', () => this.rescheduleLive());
  }

  /** Redis lost its data: every running or overdue clock gets its steps queued again (same job ids). */
  async rescheduleLive(): Promise<number> {
    const live = await this.em.fork().find(ReferralClock, { state: { $in: [ClockState.Running, ClockState.Overdue] } });
    const jobs = live.flatMap((clock) =>
      this.stepJobs(schedulePayload(clock)).map(({ queue: _q, replaces: _r, ...job }) => job),
    );
    for (let i = 0; i < jobs.length; i += 500) await this.queues.queue('clocks').addBulk(jobs.slice(i, i + 500));
    return live.length;
  }

  /** The working-day calendar: the library's data plus every year an admin loaded. */
  async calendar(em: EntityManager = this.em.fork()): Promise<WorkCalendar> {
    if (this.cachedCalendar && Date.now() - this.cachedCalendar.at < CALENDAR_CACHE_MS)
      return this.cachedCalendar.calendar;
    const years = await em.find(HolidayArrangement, {}, { orderBy: { year: 'asc' } });
    const calendar = new WorkCalendar(years.map((y) => y.arrangement as unknown as YearArrangement));
    this.cachedCalendar = { at: Date.now(), calendar };
    return calendar;
  }

  /**
   * Called inside a referral's transaction, after its state changed from `from` to `to`. Returns
   * every clock of the referral as it now stands, oldest first (what its view shows).
   */
  async onTransition(
    em: EntityManager,
    referral: Referral,
    from: ReferralState,
    to: ReferralState,
  ): Promise<ReferralClock[]> {
    const now = new Date();
    const specs = REFERRAL_CLOCKS[referral.kind];
    const all = await this.clocksInTransaction(em, referral);
    const live = all.filter((c) => LIVE.includes(c.state));
    for (const clock of live) {
      const spec = specs.find((s) => s.code === clock.code);
      if (spec?.stopsOn.includes(to)) {
        clock.state = ClockState.Met;
        clock.endedAt = now;
        clock.generation++;
      } else if (to === CLOCK_PAUSES_ON && clock.state === ClockState.Running) {
        clock.state = ClockState.Paused;
        clock.pausedAt = now;
        clock.generation++;
      } else if (from === CLOCK_PAUSES_ON && clock.state === ClockState.Paused && clock.pausedAt) {
        const moved = extendClock(LEGAL_CLOCKS[clock.code], this.scheduleOf(clock), await this.calendar(em), {
          pausedMs: now.getTime() - clock.pausedAt.getTime(),
          pausedAt: clock.pausedAt,
        });
        this.apply(clock, moved);
        clock.state = ClockState.Running;
        clock.pausedAt = null;
        clock.generation++;
        this.requestSchedule(em, clock);
      }
    }
    if (!specs.some((s) => s.startsOn === to)) return oldestFirst(all);
    const receiverKind = await this.agencyKind(em, referral.toAgency.id);
    for (const start of await this.startingClocks(em, referral.kind, to, receiverKind, now)) {
      const clock = em.create(ReferralClock, { referral, ...start });
      this.requestSchedule(em, clock);
      all.push(clock);
    }
    return oldestFirst(all);
  }

  /**
   * The clocks a referral of `kind` starts on entering state `to` at `now`, computed but not
   * stored: what `onTransition` creates, and what a batched create writes in its own statement.
   */
  async startingClocks(
    em: EntityManager,
    kind: ReferralKind,
    to: ReferralState,
    receiverKind: AgencyKind,
    now: Date,
  ): Promise<StartingClock[]> {
    const starting = REFERRAL_CLOCKS[kind].filter(
      (s) => s.startsOn === to && !(s.receiverMustBeTownship && receiverKind !== AgencyKind.Township),
    );
    if (starting.length === 0) return [];
    const calendar = await this.calendar(em);
    const county = await this.countyAmounts(em);
    return starting.map((spec) => {
      const schedule = scheduleClock(LEGAL_CLOCKS[spec.code], now, calendar, county.get(spec.code));
      return {
        code: spec.code,
        state: ClockState.Running,
        startedAt: now,
        deadline: new Date(schedule.deadline),
        warnAt: new Date(schedule.warnAt),
        escalateAt: new Date(schedule.escalateAt),
        provisional: schedule.provisional,
        generation: 0,
      };
    });
  }

  /**
   * A referral's clocks, locked (a clock step running at this moment either finishes first or sees
   * the new generation). A referral created in this transaction has none in the database yet, so
   * it costs no query: only the clocks this transaction made for it.
   */
  private async clocksInTransaction(em: EntityManager, referral: Referral): Promise<ReferralClock[]> {
    const uow = em.getUnitOfWork();
    if (uow.getPersistStack().has(referral)) {
      return [...uow.getPersistStack()].filter(
        (e): e is ReferralClock => e instanceof ReferralClock && e.referral.id === referral.id,
      );
    }
    return em.find(
      ReferralClock,
      { referral: referral.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { startedAt: 'asc', deadline: 'asc' } },
    );
  }

  private async agencyKind(em: EntityManager, agencyId: string): Promise<AgencyKind> {
    let kind = this.agencyKinds.get(agencyId);
    if (!kind) {
      kind = (await em.findOneOrFail(Agency, { id: agencyId })).kind;
      this.agencyKinds.set(agencyId, kind);
    }
    return kind;
  }

  /** Loads (or replaces) a year's official arrangement, then recomputes the provisional clocks. */
  async loadYear(actor: Actor, input: unknown): Promise<{ year: number; rescheduled: number }> {
    this.policy.assertAttempt(actor, 'calendar.manage');
    const checked = validateArrangement(input);
    if (!checked.ok) throw new ValidationFailed(checked.problems);
    const arrangement = checked.value;
    const rescheduled = await this.em.fork().transactional(async (em) => {
      await em.upsert(HolidayArrangement, {
        year: arrangement.year,
        arrangement: arrangement as unknown as Record<string, unknown>,
        loadedBy: em.getReference(User, actor.userId),
        loadedAt: new Date(),
      });
      this.cachedCalendar = undefined;
      const calendar = await this.calendar(em);
      this.cachedCalendar = undefined; // other readers rebuild after commit
      const provisional = await em.find(ReferralClock, { provisional: true, state: { $in: [...LIVE] } });
      const county = await this.countyAmounts(em);
      for (const clock of provisional) {
        const rule = LEGAL_CLOCKS[clock.code];
        let fresh = scheduleClock(rule, clock.startedAt, calendar, county.get(clock.code));
        // Extensions already granted stay granted under the official calendar.
        if (clock.extendedBy > 0) fresh = extendClock(rule, fresh, calendar, { extraAmount: clock.extendedBy });
        this.apply(clock, fresh);
        clock.generation++;
        this.requestSchedule(em, clock);
      }
      return provisional.length;
    });
    this.logger.log({ year: arrangement.year, rescheduled }, 'holiday arrangement loaded');
    return { year: arrangement.year, rescheduled };
  }

  /** The receiving side asks for more time on a clock, before it expires. */
  async requestExtension(actor: Actor, referralId: string, clockId: string, input: ExtensionRequest): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const { clock, referral } = await this.clockOf(em, actor, referralId, clockId);
      if (referral.toAgency.id !== actor.agencyId)
        throw new Forbidden('只有接收单位可以申请延期 (only the receiving agency may ask)');
      if (clock.state !== ClockState.Running || Date.now() >= clock.deadline.getTime()) {
        throw conflict('state', '期限已届满或不在计时中，不能申请延期 (only a running clock, before its deadline)');
      }
      if (!LEGAL_CLOCKS[clock.code].configurable) {
        throw conflict('code', '该期限由法律规定，不能延长 (this deadline is set by law)');
      }
      clock.extensionAmount = input.amount;
      clock.extensionReason = input.reason;
      clock.extensionRequestedAt = new Date();
      clock.extensionRequestedBy = em.getReference(User, actor.userId, { wrapped: true });
      this.note(em, referral, actor, 'clock.extension_requested', {
        clock: clock.code,
        amount: input.amount,
        reason: input.reason,
      });
    });
  }

  /** The sending side, or the guidance office, grants or refuses a pending request. */
  async decideExtension(actor: Actor, referralId: string, clockId: string, input: ExtensionDecision): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const { clock, referral } = await this.clockOf(em, actor, referralId, clockId);
      const guidance = await em.findOne(Agency, { id: actor.agencyId, kind: AgencyKind.GuidanceOffice });
      if (referral.fromAgency.id !== actor.agencyId && !guidance) {
        throw new Forbidden('只有移送单位或指导办可以批准延期 (the sending agency or the guidance office decides)');
      }
      if (!clock.extensionAmount) throw conflict('extension', '没有待批准的延期申请 (no pending request)');
      const amount = clock.extensionAmount;
      if (input.grant) {
        const moved = extendClock(LEGAL_CLOCKS[clock.code], this.scheduleOf(clock), await this.calendar(em), {
          extraAmount: amount,
        });
        this.apply(clock, moved);
        clock.extendedBy += amount;
        clock.state = ClockState.Running;
        clock.generation++;
        this.requestSchedule(em, clock);
      }
      clock.extensionAmount = null;
      clock.extensionReason = null;
      clock.extensionRequestedAt = null;
      clock.extensionRequestedBy = null;
      this.note(em, referral, actor, input.grant ? 'clock.extension_granted' : 'clock.extension_refused', {
        clock: clock.code,
        amount,
        deadline: clock.deadline.toISOString(),
        ...(input.note ? { note: input.note } : {}),
      });
    });
  }

  private async clockOf(em: EntityManager, actor: Actor, referralId: string, clockId: string) {
    const referral = await em.findOne(Referral, { id: referralId }, { populate: ['matter'] });
    const clock = await em.findOne(
      ReferralClock,
      { id: clockId, referral: referralId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!referral || !clock) throw new NotFound('clock');
    const matter = referral.matter.unwrap();
    this.policy.authorize(
      actor,
      'referral.read',
      {
        partyAgencyIds: [referral.fromAgency.id, referral.toAgency.id, ...referral.informAgencyIds],
        flagged: matter.majorDifficult || matter.publicInterestClue || matter.suspectedCrime,
      },
      'clock',
    );
    return { clock, referral };
  }

  private note(
    em: EntityManager,
    referral: Referral,
    actor: Actor,
    action: string,
    detail: Record<string, unknown>,
  ): void {
    em.create(TimelineEntry, {
      matter: referral.matter,
      referral,
      actor: em.getReference(User, actor.userId),
      agency: em.getReference(Agency, actor.agencyId),
      action,
      fromState: null,
      toState: null,
      detail,
    });
  }

  /** The clock table as in force in this county: legal defaults, and the county's own amounts. */
  async rules(): Promise<ClockRuleView[]> {
    const settings = new Map((await this.em.fork().find(ClockSetting, {})).map((s) => [s.code, s]));
    return CLOCK_CODES.map((code) => {
      const rule = LEGAL_CLOCKS[code];
      const own = settings.get(code);
      return {
        code,
        labelZh: rule.labelZh,
        legalBasis: rule.legalBasis,
        unit: rule.unit,
        legalAmount: rule.amount,
        amount: own?.amount ?? rule.amount,
        configurable: rule.configurable,
        countyReason: own?.reason ?? null,
      };
    });
  }

  /** A county sets its own amount for a configurable clock; clocks started from now on use it. */
  async setCountyAmount(actor: Actor, code: string, input: ClockSettingRequest): Promise<ClockRuleView[]> {
    this.policy.assertAttempt(actor, 'calendar.manage');
    if (!(CLOCK_CODES as readonly string[]).includes(code)) throw new NotFound(`clock ${code}`);
    const rule = LEGAL_CLOCKS[code as ClockCode];
    if (!rule.configurable) throw conflict('code', `「${rule.labelZh}」的期限由法律规定，不能修改 (set by law)`);
    const em = this.em.fork();
    await em.upsert(ClockSetting, {
      code: rule.code,
      amount: input.amount,
      reason: input.reason,
      updatedBy: em.getReference(User, actor.userId),
      updatedAt: new Date(),
    });
    this.cachedAmounts = undefined;
    return this.rules();
  }

  /**
   * The county's own amounts, read at most every few seconds: clocks start on every delivery, the
   * amounts change a few times a year. This node sees its own change at once, others within
   * SETTINGS_CACHE_MS.
   */
  private async countyAmounts(em: EntityManager): Promise<Map<ClockCode, number>> {
    if (this.cachedAmounts && Date.now() - this.cachedAmounts.at < SETTINGS_CACHE_MS) return this.cachedAmounts.amounts;
    const amounts = new Map((await em.find(ClockSetting, {})).map((s) => [s.code, s.amount]));
    this.cachedAmounts = { at: Date.now(), amounts };
    return amounts;
  }

  async years(): Promise<{ year: number; source: string; loadedAt: string }[]> {
    const rows = await this.em.fork().find(HolidayArrangement, {}, { orderBy: { year: 'asc' } });
    return rows.map((r) => ({
      year: r.year,
      source: typeof r.arrangement.source === 'string' ? r.arrangement.source : '',
      loadedAt: r.loadedAt.toISOString(),
    }));
  }

  // -------------------------------------------------------------------------------------------

  private scheduleOf(clock: ReferralClock): ClockSchedule {
    return {
      startedAt: clock.startedAt.toISOString(),
      deadline: clock.deadline.toISOString(),
      warnAt: clock.warnAt.toISOString(),
      escalateAt: clock.escalateAt.toISOString(),
      provisional: clock.provisional,
    };
  }

  private apply(clock: ReferralClock, s: ClockSchedule): void {
    clock.deadline = new Date(s.deadline);
    clock.warnAt = new Date(s.warnAt);
    clock.escalateAt = new Date(s.escalateAt);
    clock.provisional = s.provisional;
  }

  /** The steps go to the queue through the outbox, in the same transaction as the clock. */
  private requestSchedule(em: EntityManager, clock: ReferralClock): void {
    OutboxRelay.record(em, 'clock.schedule', schedulePayload(clock));
  }

  /**
   * Delayed jobs for a clock's steps. CLOCK_TIME_SCALE divides the time from the clock's start,
   * so a demo or a test can run days in seconds; it is 1 in real use.
   */
  private stepJobs(payload: Record<string, unknown>): RoutedJob[] {
    const clockId = String(payload.clockId);
    const generation = Number(payload.generation);
    const startedAt = Date.parse(String(payload.startedAt));
    const steps = payload.steps as Record<ClockStep, string>;
    const scale = this.config.clockTimeScale;
    const now = Date.now();
    return STEPS.map((step) => {
      const at = startedAt + (Date.parse(steps[step]) - startedAt) / scale;
      return {
        queue: 'clocks',
        name: 'clock.step',
        data: { clockId, generation, step },
        opts: { jobId: clockJobId(clockId, generation, step), delay: Math.max(0, at - now) },
        // A moved clock replaces its jobs: the previous generation's steps leave the queue. One that
        // is running already, or left over from an older move, finds the generation changed and does nothing.
        ...(generation > 0 ? { replaces: [clockJobId(clockId, generation - 1, step)] } : {}),
      };
    });
  }

  private async enqueueSteps(payload: Record<string, unknown>): Promise<void> {
    const jobs = this.stepJobs(payload);
    const queue = this.queues.queue('clocks');
    await Promise.all(jobs.flatMap((j) => j.replaces ?? []).map((id) => queue.remove(id).catch(() => 0)));
    await queue.addBulk(jobs);
  }

  /**
   * One step of a clock, unless the clock moved (another generation) or ended meanwhile. Steps
   * that should have come first and have not (a busy queue can run a later job first) are taken
   * now, in order: a clock never goes overdue without having warned.
   */
  private async step(clockId: string, generation: number, step: ClockStep): Promise<{ applied: number }> {
    let applied = 0;
    await this.em.fork().transactional(async (em) => {
      // Lock the referral before its clock, the order a referral action takes them in: the other
      // order deadlocks against an action moving the same referral's clocks.
      const owner = await em.findOne(ReferralClock, { id: clockId }, { fields: ['referral'] });
      if (!owner) return;
      const referral = await em.findOneOrFail(
        Referral,
        { id: owner.referral.id },
        { populate: ['matter'], lockMode: LockMode.PESSIMISTIC_WRITE, lockTableAliases: ['r0'] },
      );
      const clock = await em.findOne(
        ReferralClock,
        { id: clockId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!clock || clock.generation !== generation) return;
      const due = STEPS.slice(0, STEPS.indexOf(step) + 1).filter((s) => pending(clock, s));
      if (due.length === 0) return;
      const guidance = await em.findOne(Agency, { kind: AgencyKind.GuidanceOffice });
      for (const s of due) {
        const now = new Date();
        if (s === ClockStep.Warn) {
          clock.warnedAt = now;
        } else if (s === ClockStep.Overdue) {
          clock.state = ClockState.Overdue;
          clock.overdueAt = now;
        } else {
          clock.state = ClockState.Escalated;
          clock.escalatedAt = now;
        }
        em.create(TimelineEntry, {
          matter: referral.matter,
          referral,
          actor: null,
          agency: null,
          action: `clock.${s}`,
          fromState: null,
          toState: null,
          detail: { clock: clock.code, deadline: clock.deadline.toISOString(), provisional: clock.provisional },
        });
        OutboxRelay.record(em, 'clock.changed', {
          clockId: clock.id,
          code: clock.code,
          step: s,
          state: clock.state,
          deadline: clock.deadline.toISOString(),
          provisional: clock.provisional,
          referralId: referral.id,
          matterId: referral.matter.id,
          matterNumber: referral.matter.unwrap().number,
          receivingAgencyId: referral.toAgency.id,
          sendingAgencyId: referral.fromAgency.id,
          escalateToAgencyIds: s === ClockStep.Escalate && guidance ? [guidance.id] : [],
        });
        applied++;
      }
    });
    return { applied };
  }
}

/** What a clock's steps are queued from (the outbox row, or a rebuild). */
export function schedulePayload(clock: {
  id: string;
  generation: number;
  startedAt: Date;
  warnAt: Date;
  deadline: Date;
  escalateAt: Date;
}): Record<string, unknown> {
  return {
    clockId: clock.id,
    generation: clock.generation,
    startedAt: clock.startedAt.toISOString(),
    steps: {
      [ClockStep.Warn]: clock.warnAt.toISOString(),
      [ClockStep.Overdue]: clock.deadline.toISOString(),
      [ClockStep.Escalate]: clock.escalateAt.toISOString(),
    },
  };
}

/** The order a referral's clocks are shown in: by start, then by deadline. */
function oldestFirst(clocks: ReferralClock[]): ReferralClock[] {
  return clocks.sort(
    (a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.deadline.getTime() - b.deadline.getTime(),
  );
}

/** Whether a step has yet to happen to a clock that is still live. */
function pending(clock: ReferralClock, step: ClockStep): boolean {
  if (clock.state !== ClockState.Running && clock.state !== ClockState.Overdue) return false;
  if (step === ClockStep.Warn) return !clock.warnedAt;
  if (step === ClockStep.Overdue) return clock.state === ClockState.Running;
  return true; // escalate: running or overdue, and not yet escalated (that state is not live)
}

function conflict(field: string, message: string): Conflict {
  const e = new Conflict(message);
  e.details = [{ field, message }];
  return e;
}
