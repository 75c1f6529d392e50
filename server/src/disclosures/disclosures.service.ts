import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import {
  disclosureDueOn,
  disclosureLate,
  endOfChinaDay,
  maskFreeText,
  maskParty,
  Role,
  todayInChina,
  type DisclosureListQuery,
  type DisclosureView,
  type PublicDisclosure,
  type PublicDisclosureList,
  type PublicDisclosureQuery,
} from '@xietong/shared';
import { agencyRef } from '../catalogue/catalogue.views.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { ClocksService } from '../clocks/clocks.service.js';
import { Conflict, NotFound } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { AppConfig } from '../config/app-config.provider.js';
import { AuditService } from '../audit/audit.service.js';
import { DeliveryProcessor } from '../outbox/delivery.processor.js';
import { OutboxRelay } from '../outbox/outbox.service.js';
import { QueueService } from '../queue/queue.service.js';
import { Matter, Referral, TimelineEntry } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';
import { Disclosure } from './disclosure.entity.js';

const PENALTY = 'penalty_decided';

/**
 * 行政执法公示. A referral concluded with a penalty decision queues a disclosure (followed from the
 * delivered outbox message, so the referral code knows nothing of it), due a configured number of
 * working days after the decision; the deciding agency publishes it, masked by the shared rules,
 * or withdraws it with a reason. Nothing is deleted.
 */
@Injectable()
export class DisclosuresService implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly catalogue: CatalogueService,
    private readonly clocks: ClocksService,
    private readonly delivery: DeliveryProcessor,
    private readonly config: AppConfig,
    private readonly queues: QueueService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.queues.handle('clocks', 'disclosure.due', (job) => this.checkDue(job.disclosureId));
    this.queues.onRedisLost('disclosure due checks', () => this.scheduleQueued());
    this.delivery.onDelivered(async (_id, topic, payload) => {
      if (topic === 'referral.changed' && payload.state === 'concluded' && typeof payload.referralId === 'string') {
        await this.queueFor(payload.referralId);
      }
    });
  }

  /** Every queued disclosure has its due-day check scheduled (job ids de-duplicate): none is forgotten. */
  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleQueued();
  }

  /** At start, and when Redis lost its data: returns how many checks it queued. */
  private async scheduleQueued(): Promise<number> {
    const queued = await this.em.fork().find(Disclosure, { state: 'queued' }, { fields: ['id', 'dueOn'] });
    for (const d of queued) await this.scheduleCheck(d);
    return queued.length;
  }

  /** Queues the disclosure of a referral's penalty decision, once. */
  async queueFor(referralId: string): Promise<void> {
    const em = this.em.fork();
    if (await em.findOne(Disclosure, { referral: referralId })) return;
    const concluded = await em.findOne(
      TimelineEntry,
      { referral: referralId, action: 'referral.conclude' },
      { orderBy: { at: 'desc' } },
    );
    if (!concluded || concluded.detail.outcome !== PENALTY) return;
    const referral = await em.findOneOrFail(Referral, { id: referralId });
    const decidedOn = todayInChina(concluded.at);
    const calendar = await this.clocks.calendar(em);
    const disclosure = em.create(Disclosure, {
      matter: referral.matter,
      referral,
      agency: referral.toAgency,
      decidedOn,
      dueOn: disclosureDueOn(calendar, decidedOn, this.config.disclosureWorkingDays),
      decision: typeof concluded.detail.outcomeText === 'string' ? concluded.detail.outcomeText : '',
      state: 'queued',
    });
    try {
      await em.flush();
    } catch (e) {
      // a retried delivery of the same message: the first one queued it
      if (e instanceof UniqueConstraintViolationException) return;
      throw e;
    }
    await this.scheduleCheck(disclosure);
  }

  /** The clock engine's queue checks it at the end of its due day (CLOCK_TIME_SCALE compresses that in demos). */
  private async scheduleCheck(d: Pick<Disclosure, 'id' | 'dueOn'>): Promise<void> {
    const delay = (endOfChinaDay(d.dueOn).getTime() - Date.now()) / this.config.clockTimeScale;
    await this.queues.add(
      'clocks',
      'disclosure.due',
      { disclosureId: d.id },
      { jobId: `disclosure-due-${d.id}`, delay: Math.max(0, delay) },
    );
  }

  /** Still queued at the end of its due day: late. Its agency is told and the trail says so. */
  async checkDue(disclosureId: string): Promise<{ late: boolean }> {
    const late = await this.em.fork().transactional(async (em) => {
      const d = await em.findOne(Disclosure, { id: disclosureId }, { populate: ['matter'] });
      if (!d || d.state !== 'queued') return false;
      // warned once: a re-run check (a restart scheduling it again) says nothing new; the entry
      // is in the chain or still waiting to be linked into it
      const [warned] = await em.execute<{ n: string }[]>(
        `select (select count(*) from audit_entry where action = 'disclosure.late' and object_id = ?)
              + (select count(*) from audit_pending where action = 'disclosure.late' and object_id = ?) n`,
        [d.id, d.id],
      );
      if (Number(warned?.n ?? 0) > 0) return false;
      OutboxRelay.record(em, 'disclosure.late', {
        disclosureId: d.id,
        matterId: d.matter.id,
        matterNumber: d.matter.unwrap().number,
        agencyId: d.agency.id,
        dueOn: d.dueOn,
      });
      // in the same transaction as the warning: the "warned once" check above can trust it
      await this.audit.recordIn(em, {
        action: 'disclosure.late',
        objectType: 'Disclosure',
        objectId: d.id,
        actorId: null,
        actorName: null,
        agencyId: null,
        after: { dueOn: d.dueOn },
      });
      return true;
    });
    return { late };
  }

  /** The queue: late ones first (with `late` set), then by due day. */
  async list(actor: Actor, q: DisclosureListQuery): Promise<DisclosureView[]> {
    this.policy.assertAttempt(actor, 'disclosure.read');
    const everywhere = hasRole(actor, Role.SystemAdmin, Role.Auditor);
    const found = await this.em.find(
      Disclosure,
      { ...(everywhere ? {} : { agency: actor.agencyId }), ...(q.state ? { state: q.state } : {}) },
      { orderBy: { dueOn: 'asc' }, populate: ['matter', 'matter.item'], limit: 500 },
    );
    const overdue = (v: DisclosureView) => (v.late && v.state === 'queued' ? 0 : 1);
    return (await this.views(found))
      .filter((v) => q.late === undefined || v.late === q.late)
      .sort((a, b) => overdue(a) - overdue(b) || a.dueOn.localeCompare(b.dueOn));
  }

  async publish(actor: Actor, id: string): Promise<DisclosureView> {
    const d = await this.managed(actor, id);
    if (d.state !== 'queued') throw this.wrongState(d, ['withdraw']);
    d.state = 'published';
    d.publishedAt = new Date();
    d.publishedBy = this.em.getReference(User, actor.userId, { wrapped: true });
    await this.em.flush();
    const [view] = await this.views([d]);
    return view as DisclosureView;
  }

  /** Withdrawn (e.g. the decision was revoked): off the public list, kept with who, when and why. */
  async withdraw(actor: Actor, id: string, reason: string): Promise<DisclosureView> {
    const d = await this.managed(actor, id);
    if (d.state === 'withdrawn') throw this.wrongState(d, []);
    d.state = 'withdrawn';
    d.withdrawnAt = new Date();
    d.withdrawnBy = this.em.getReference(User, actor.userId, { wrapped: true });
    d.withdrawReason = reason;
    await this.em.flush();
    const [view] = await this.views([d]);
    return view as DisclosureView;
  }

  /** For anyone, signed in or not: published results, masked. */
  async published(q: PublicDisclosureQuery): Promise<PublicDisclosureList> {
    const where = {
      state: 'published' as const,
      ...(q.q
        ? {
            $or: [
              { matter: { number: { $ilike: `%${q.q}%` } } },
              { matter: { item: { nameZh: { $ilike: `%${q.q}%` } } } },
            ],
          }
        : {}),
    };
    const [found, total] = await this.em.findAndCount(Disclosure, where, {
      orderBy: { publishedAt: 'desc' },
      populate: ['matter', 'matter.item'],
      limit: q.limit,
      offset: q.offset,
    });
    const agencies = await this.catalogue.agencies();
    return {
      total,
      disclosures: found.map((d) => ({
        id: d.id,
        ...this.preview(d, agencies),
        publishedOn: todayInChina(d.publishedAt ?? d.createdAt),
      })),
    };
  }

  private async managed(actor: Actor, id: string): Promise<Disclosure> {
    const d = await this.em.findOne(Disclosure, { id }, { populate: ['matter', 'matter.item'] });
    if (!d) throw new NotFound('disclosure');
    this.policy.authorize(actor, 'disclosure.manage', { agencyId: d.agency.id }, 'disclosure');
    return d;
  }

  private wrongState(d: Disclosure, allowed: string[]): Conflict {
    const e = new Conflict(`公示当前状态为 ${d.state}，不能执行此操作`);
    e.details = [
      { field: 'state', message: d.state },
      { field: 'allowedActions', message: allowed.join(',') },
    ];
    return e;
  }

  private preview(
    d: Disclosure,
    agencies: Awaited<ReturnType<CatalogueService['agencies']>>,
  ): Omit<PublicDisclosure, 'id' | 'publishedOn'> {
    const m: Matter = d.matter.unwrap();
    const party = maskParty({ kind: m.partyKind, name: m.partyName, idNumber: m.partyIdNumber ?? null });
    return {
      matterNumber: m.number,
      itemName: m.item.unwrap().nameZh,
      partyName: party.name,
      partyIdNumber: party.idNumber,
      township: agencies.get(m.township.id)?.nameZh ?? '',
      decision: maskFreeText(d.decision, { kind: m.partyKind, name: m.partyName }),
      decidedOn: d.decidedOn,
      agencyName: agencies.get(d.agency.id)?.nameZh ?? '',
    };
  }

  private async views(found: Disclosure[]): Promise<DisclosureView[]> {
    const agencies = await this.catalogue.agencies();
    const today = todayInChina();
    return found.map((d) => ({
      id: d.id,
      state: d.state,
      matter: { id: d.matter.id, number: d.matter.unwrap().number },
      referralId: d.referral?.id ?? null,
      agency: agencyRef(agencies, d.agency.id) as NonNullable<ReturnType<typeof agencyRef>>,
      decidedOn: d.decidedOn,
      dueOn: d.dueOn,
      late: disclosureLate(d.dueOn, today, d.publishedAt ? todayInChina(d.publishedAt) : null),
      preview: this.preview(d, agencies),
      publishedAt: d.publishedAt?.toISOString() ?? null,
      withdrawnAt: d.withdrawnAt?.toISOString() ?? null,
      withdrawReason: d.withdrawReason ?? null,
    }));
  }
}
