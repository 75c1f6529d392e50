import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  INTERFERENCE_METHODS,
  quarterRange,
  Role,
  type CreateInterferenceRequest,
  type InterferenceReport,
  type InterferenceView,
  type QuarterQuery,
} from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { agencyRef } from '../catalogue/catalogue.views.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { NotFound, ValidationFailed } from '../common/errors.js';
import { hasRole, type Actor } from '../common/policy/actor.js';
import { PolicyService } from '../common/policy/policy.service.js';
import { ReferralsService } from '../referrals/referrals.service.js';
import { User } from '../users/user.entity.js';
import { InterferenceRecord } from './interference.entity.js';

/**
 * 干预记录: anyone records; the record is sealed at once (the database refuses changes); only the
 * recording agency's discipline contact and auditors read it, and never the person it names.
 */
@Injectable()
export class InterferenceService {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyService,
    private readonly referrals: ReferralsService,
    private readonly catalogue: CatalogueService,
  ) {}

  /** Answers with the sealed record's id and time only: the recorder does not read records back. */
  async record(actor: Actor, input: CreateInterferenceRequest): Promise<{ id: string; sealedAt: string }> {
    this.policy.assertAttempt(actor, 'interference.record');
    // From a matter: only one the recorder can see (404 otherwise, like every matter read).
    const matter = input.matterId ? (await this.referrals.readableMatter(actor, input.matterId)).matter : null;
    if (input.personUserId && !(await this.em.findOne(User, { id: input.personUserId }))) {
      throw new ValidationFailed([{ field: 'personUserId', message: '未知用户 (unknown user)' }]);
    }
    const record = this.em.create(InterferenceRecord, {
      agency: this.em.getReference(Agency, actor.agencyId),
      recordedBy: this.em.getReference(User, actor.userId),
      matter,
      channelId: input.channelId ?? null,
      personName: input.personName,
      personPosition: input.personPosition,
      personOrganisation: input.personOrganisation ?? null,
      personUserId: input.personUserId ?? null,
      occurredAt: new Date(input.occurredAt),
      method: input.method,
      content: input.content,
    });
    await this.em.flush();
    return { id: record.id, sealedAt: record.sealedAt.toISOString() };
  }

  async list(actor: Actor): Promise<InterferenceView[]> {
    this.policy.assertAttempt(actor, 'interference.read');
    const records = await this.em.find(
      InterferenceRecord,
      {
        ...(hasRole(actor, Role.Auditor) ? {} : { agency: actor.agencyId }),
        $or: [{ personUserId: null }, { personUserId: { $ne: actor.userId } }],
      },
      { orderBy: { sealedAt: 'desc' }, populate: ['recordedBy', 'matter'], limit: 500 },
    );
    return this.views(records);
  }

  async get(actor: Actor, id: string): Promise<InterferenceView> {
    const record = await this.em.findOne(InterferenceRecord, { id }, { populate: ['recordedBy', 'matter'] });
    if (!record) throw new NotFound('interference record');
    this.policy.authorize(
      actor,
      'interference.read',
      { agencyId: record.agency.id, personUserId: record.personUserId ?? null },
      'interference record',
    );
    const [view] = await this.views([record]);
    return view as InterferenceView;
  }

  /** Per agency for a quarter, every agency listed: none recorded is a zero report (零报告). */
  async report(actor: Actor, q: QuarterQuery): Promise<InterferenceReport> {
    this.policy.assertAttempt(actor, 'interference.report');
    const quarter = q.quarter as 1 | 2 | 3 | 4;
    const { from, until } = quarterRange(q.year, quarter);
    const rows = await this.em.execute<{ agency_id: string; method: string; n: string }[]>(
      `select agency_id, method, count(*) n from interference_record
        where occurred_at >= (?::date)::timestamp at time zone 'Asia/Shanghai'
          and occurred_at < (?::date)::timestamp at time zone 'Asia/Shanghai'
        group by agency_id, method`,
      [from, until],
    );
    const agencies = await this.catalogue.agencies();
    const scope = hasRole(actor, Role.Auditor) ? [...agencies.keys()] : [actor.agencyId];
    return {
      year: q.year,
      quarter,
      from,
      until,
      agencies: scope.flatMap((agencyId) => {
        const agency = agencyRef(agencies, agencyId);
        if (!agency) return [];
        const mine = rows.filter((r) => r.agency_id === agencyId);
        const byMethod = Object.fromEntries(
          INTERFERENCE_METHODS.map((m) => [m, Number(mine.find((r) => r.method === m)?.n ?? 0)]),
        );
        const count = Object.values(byMethod).reduce((a, b) => a + b, 0);
        return [{ agency, count, byMethod, zeroReport: count === 0 }];
      }),
    };
  }

  private async views(records: InterferenceRecord[]): Promise<InterferenceView[]> {
    const agencies = await this.catalogue.agencies();
    return records.map((r) => ({
      id: r.id,
      agency: agencyRef(agencies, r.agency.id) as NonNullable<ReturnType<typeof agencyRef>>,
      recordedBy: { id: r.recordedBy.id, displayName: r.recordedBy.unwrap().displayName },
      matter: r.matter ? { id: r.matter.id, number: r.matter.unwrap().number } : null,
      channelId: r.channelId ?? null,
      personName: r.personName,
      personPosition: r.personPosition,
      personOrganisation: r.personOrganisation ?? null,
      personUserId: r.personUserId ?? null,
      occurredAt: r.occurredAt.toISOString(),
      method: r.method,
      content: r.content,
      sealedAt: r.sealedAt.toISOString(),
    }));
  }
}
