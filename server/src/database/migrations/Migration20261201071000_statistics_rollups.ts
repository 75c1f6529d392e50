import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written: the statistics rollups, one row per matter and per delivered referral with
 * everything the figures need (categories, party agencies, delivery / sign / accept times from
 * the timeline, returns by reason, clock outcomes). A queue job refreshes them concurrently.
 */
export class Migration20261201071000_statistics_rollups extends Migration {
  override name = 'Migration20261201071000_statistics_rollups';

  override up(): void | Promise<void> {
    this.addSql(`create materialized view "stats_matter_fact" as
      select m.id, m.started_on, m.procedure::text as procedure, i.category::text as category, m.item_id,
             m.township_id, m.origin_agency_id, m.created_by_id,
             m.major_difficult, m.public_interest_clue, m.suspected_crime,
             coalesce((select array_agg(ma.agency_id) from matter_agency ma where ma.matter_id = m.id),
                      array[]::uuid[]) as agency_ids
        from matter m join enforcement_item i on i.id = m.item_id;`);
    this.addSql(`create unique index "stats_matter_fact_id" on "stats_matter_fact" ("id");`);
    this.addSql(`create index "stats_matter_fact_started_on" on "stats_matter_fact" ("started_on");`);

    this.addSql(`create materialized view "stats_referral_fact" as
      with t as (
        select referral_id,
               min(at) filter (where to_state = 'delivered') as delivered_at,
               min(at) filter (where action = 'referral.sign') as signed_at,
               min(at) filter (where action = 'referral.accept') as accepted_at,
               count(*) filter (where action = 'referral.return') as returns,
               count(*) filter (where action = 'referral.return' and detail->>'reasonCode' = 'not_our_jurisdiction') as ret_not_our_jurisdiction,
               count(*) filter (where action = 'referral.return' and detail->>'reasonCode' = 'materials_incomplete') as ret_materials_incomplete,
               count(*) filter (where action = 'referral.return' and detail->>'reasonCode' = 'duplicate') as ret_duplicate,
               count(*) filter (where action = 'referral.return' and coalesce(detail->>'reasonCode', 'other')
                                  not in ('not_our_jurisdiction', 'materials_incomplete', 'duplicate')) as ret_other
          from timeline_entry where referral_id is not null group by referral_id
      ), c as (
        select referral_id, count(*) as clocks, count(warned_at) as warned, count(overdue_at) as overdue,
               count(escalated_at) as escalated, count(*) filter (where state = 'met') as met,
               count(*) filter (where state = 'met' and overdue_at is null) as met_on_time
          from referral_clock group by referral_id
      )
      select r.id, r.kind::text as kind, r.from_agency_id, r.to_agency_id, r.matter_id, m.township_id,
             (t.delivered_at at time zone 'Asia/Shanghai')::date as day,
             t.delivered_at, t.signed_at, t.accepted_at,
             t.returns::int as returns, t.ret_not_our_jurisdiction::int as ret_not_our_jurisdiction,
             t.ret_materials_incomplete::int as ret_materials_incomplete, t.ret_duplicate::int as ret_duplicate,
             t.ret_other::int as ret_other,
             coalesce(c.clocks, 0)::int as clocks, coalesce(c.warned, 0)::int as warned,
             coalesce(c.overdue, 0)::int as overdue, coalesce(c.escalated, 0)::int as escalated,
             coalesce(c.met, 0)::int as met, coalesce(c.met_on_time, 0)::int as met_on_time
        from referral r
        join matter m on m.id = r.matter_id
        join t on t.referral_id = r.id and t.delivered_at is not null
        left join c on c.referral_id = r.id;`);
    this.addSql(`create unique index "stats_referral_fact_id" on "stats_referral_fact" ("id");`);
    this.addSql(`create index "stats_referral_fact_day" on "stats_referral_fact" ("day");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop materialized view if exists "stats_referral_fact";`);
    this.addSql(`drop materialized view if exists "stats_matter_fact";`);
  }
}
