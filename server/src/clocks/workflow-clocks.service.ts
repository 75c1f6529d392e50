import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  ClockState,
  ClockStep,
  LEGAL_CLOCKS,
  scheduleClock,
  scheduleClockUntil,
  type ClockCode,
  type WorkflowClockView,
  type WorkflowKind,
} from '@xietong/shared';
import { AppConfig } from '../config/app-config.provider.js';
import { DeliveryProcessor } from '../outbox/delivery.processor.js';
import { OutboxRelay } from '../outbox/outbox.service.js';
import { QueueService } from '../queue/queue.service.js';
import { Matter, TimelineEntry } from '../referrals/referral.entity.js';
import { ClockSetting } from './clock.entity.js';
import { ClocksService, schedulePayload } from './clocks.service.js';
import { WorkflowClock } from './workflow-clock.entity.js';

const STEPS: readonly ClockStep[] = [ClockStep.Warn, ClockStep.Overdue, ClockStep.Escalate];
const LIVE: readonly ClockState[] = [ClockState.Running, ClockState.Paused, ClockState.Overdue];

export interface StartWorkflowClock {
  workflow: WorkflowKind;
  subjectId: string;
  matter: Matter;
  code: ClockCode;
  notifyAgencyIds: string[];
  escalateToAgencyIds?: string[];
  /** a chosen deadline day (a rectification deadline) instead of the rule's amount */
  deadlineDay?: string;
  /** the amount for this one clock (a suggestion's own reply term); configurable rules only */
  amount?: number;
}

/**
 * Legal clocks of workflow objects: started and stopped by the workflows in their own
 * transactions, stepping (warn at 75 %, overdue, escalate a working day later) as delayed jobs
 * queued through the outbox, like referral clocks, on the same calendar and county settings.
 */
@Injectable()
export class WorkflowClocksService implements OnModuleInit {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: QueueService,
    private readonly delivery: DeliveryProcessor,
    private readonly clocks: ClocksService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.delivery.registerTopic('workflow-clock.schedule', (payload) => this.enqueueSteps(payload));
    this.queues.handle('clocks', 'workflow-clock.step', (job) => this.step(job.clockId, job.generation, job.step));
    this.queues.onRedisLost('workflow clocks', () => this.rescheduleLive());
  }

  /** Redis lost its data: every running or overdue workflow clock gets its steps queued again. */
  async rescheduleLive(): Promise<number> {
    const live = await this.em.fork().find(WorkflowClock, { state: { $in: [ClockState.Running, ClockState.Overdue] } });
    for (const clock of live) await this.enqueueSteps(schedulePayload(clock));
    return live.length;
  }

  /** Starts a clock inside the caller's transaction. */
  async start(em: EntityManager, spec: StartWorkflowClock): Promise<WorkflowClock> {
    const now = new Date();
    const calendar = await this.clocks.calendar(em);
    const rule = LEGAL_CLOCKS[spec.code];
    let amount = spec.amount;
    if (amount === undefined && rule.configurable) {
      amount = (await em.findOne(ClockSetting, { code: spec.code }))?.amount;
    }
    const schedule =
      spec.deadlineDay !== undefined
        ? scheduleClockUntil(now, spec.deadlineDay, calendar)
        : scheduleClock(rule, now, calendar, amount);
    const clock = em.create(WorkflowClock, {
      subjectKind: spec.workflow,
      subjectId: spec.subjectId,
      matter: spec.matter,
      code: spec.code,
      state: ClockState.Running,
      startedAt: now,
      deadline: new Date(schedule.deadline),
      warnAt: new Date(schedule.warnAt),
      escalateAt: new Date(schedule.escalateAt),
      provisional: schedule.provisional,
      generation: 0,
      notifyAgencyIds: [...new Set(spec.notifyAgencyIds)],
      escalateToAgencyIds: [...new Set(spec.escalateToAgencyIds ?? [])],
    });
    OutboxRelay.record(em, 'workflow-clock.schedule', schedulePayload(clock));
    return clock;
  }

  /** Ends the subject's live clocks of these codes: met (the duty was done) or stopped (no longer owed). */
  async stop(
    em: EntityManager,
    workflow: WorkflowKind,
    subjectId: string,
    codes: readonly ClockCode[],
    state: typeof ClockState.Met | typeof ClockState.Stopped = ClockState.Met,
  ): Promise<void> {
    const live = await em.find(
      WorkflowClock,
      { subjectKind: workflow, subjectId, code: { $in: [...codes] }, state: { $in: [...LIVE] } },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    for (const clock of live) {
      clock.state = state;
      clock.endedAt = new Date();
      clock.generation++;
    }
  }

  /** The clocks of these subjects, oldest first. */
  async of(
    workflow: WorkflowKind,
    subjectIds: string[],
    em: EntityManager = this.em,
  ): Promise<Map<string, WorkflowClockView[]>> {
    const out = new Map<string, WorkflowClockView[]>();
    if (subjectIds.length === 0) return out;
    const clocks = await em.find(
      WorkflowClock,
      { subjectKind: workflow, subjectId: { $in: subjectIds } },
      { orderBy: { startedAt: 'asc', deadline: 'asc' } },
    );
    for (const c of clocks) out.set(c.subjectId, [...(out.get(c.subjectId) ?? []), view(c)]);
    return out;
  }

  private async enqueueSteps(payload: Record<string, unknown>): Promise<void> {
    const clockId = String(payload.clockId);
    const generation = Number(payload.generation);
    const startedAt = Date.parse(String(payload.startedAt));
    const steps = payload.steps as Record<ClockStep, string>;
    const now = Date.now();
    await this.queues.queue('clocks').addBulk(
      STEPS.map((step) => ({
        name: 'workflow-clock.step' as const,
        data: { clockId, generation, step },
        opts: {
          jobId: `wclock-${clockId}-g${generation}-${step}`,
          delay: Math.max(0, startedAt + (Date.parse(steps[step]) - startedAt) / this.config.clockTimeScale - now),
        },
      })),
    );
  }

  /** One step, unless the clock moved or ended; earlier steps not yet taken are taken first, in order. */
  private async step(clockId: string, generation: number, step: ClockStep): Promise<{ applied: number }> {
    let applied = 0;
    await this.em.fork().transactional(async (em) => {
      const clock = await em.findOne(WorkflowClock, { id: clockId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!clock || clock.generation !== generation) return;
      const due = STEPS.slice(0, STEPS.indexOf(step) + 1).filter((s) => pending(clock, s));
      const matter = await em.findOneOrFail(Matter, { id: clock.matter.id });
      for (const s of due) {
        const now = new Date();
        if (s === ClockStep.Warn) clock.warnedAt = now;
        else if (s === ClockStep.Overdue) Object.assign(clock, { state: ClockState.Overdue, overdueAt: now });
        else Object.assign(clock, { state: ClockState.Escalated, escalatedAt: now });
        em.create(TimelineEntry, {
          matter,
          referral: null,
          actor: null,
          agency: null,
          action: `clock.${s}`,
          fromState: null,
          toState: null,
          detail: {
            clock: clock.code,
            workflow: clock.subjectKind,
            subjectId: clock.subjectId,
            deadline: clock.deadline.toISOString(),
          },
        });
        OutboxRelay.record(em, 'workflow-clock.changed', {
          clockId: clock.id,
          code: clock.code,
          step: s,
          state: clock.state,
          deadline: clock.deadline.toISOString(),
          workflow: clock.subjectKind,
          subjectId: clock.subjectId,
          matterId: matter.id,
          matterNumber: matter.number,
          agencyIds: [
            ...new Set([...clock.notifyAgencyIds, ...(s === ClockStep.Escalate ? clock.escalateToAgencyIds : [])]),
          ],
        });
        applied++;
      }
    });
    return { applied };
  }
}

function pending(clock: WorkflowClock, step: ClockStep): boolean {
  if (clock.state !== ClockState.Running && clock.state !== ClockState.Overdue) return false;
  if (step === ClockStep.Warn) return !clock.warnedAt;
  if (step === ClockStep.Overdue) return clock.state === ClockState.Running;
  return true;
}

function view(c: WorkflowClock): WorkflowClockView {
  return {
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
  };
}
