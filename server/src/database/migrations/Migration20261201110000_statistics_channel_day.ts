import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written: day-level rollups for the figures of a whole county or province, which would
 * otherwise read a province's year row by row. Matters by day, category and procedure (a few
 * dozen rows a day for a province), from `stats_matter_fact`. Channel messages by channel and
 * day (a province's year holds about two million messages, 30 to 50 a day in each liaison
 * group), from `stats_channel_fact`, keeping every acknowledgement's minutes so that the
 * percentiles stay exact. Both are refreshed after their source. A scope of agencies still
 * reads the per-row rollups (messages by sender agency: indexed here), and so do matters of a
 * township.
 */
export class Migration20261201110000_statistics_channel_day extends Migration {
  override name = 'Migration20261201110000_statistics_channel_day';

  override up(): void | Promise<void> {
    this.addSql(`create materialized view "stats_channel_day" as
      with c as (
        select day, channel_id, min(kind) as kind, min(township_id::text)::uuid as township_id,
               count(*)::int as messages, count(*) filter (where requires_ack)::int as requiring,
               sum(acks)::int as acks, sum(pending_acks)::int as pending_acks
          from stats_channel_fact group by day, channel_id
      ), m as (
        select f.day, f.channel_id, array_agg(x) as minutes
          from stats_channel_fact f, unnest(f.ack_minutes) x group by f.day, f.channel_id
      )
      select c.day, c.channel_id, c.kind, c.township_id, c.messages, c.requiring, c.acks, c.pending_acks,
             coalesce(m.minutes, array[]::float8[]) as ack_minutes
        from c left join m on m.day = c.day and m.channel_id = c.channel_id;`);
    this.addSql(`create materialized view "stats_matter_day" as
      select started_on, category, procedure, count(*)::int as n, count(*) filter (where major_difficult)::int as major,
             count(*) filter (where public_interest_clue)::int as pil, count(*) filter (where suspected_crime)::int as crime
        from stats_matter_fact group by started_on, category, procedure;`);
    this.addSql(
      `create unique index "stats_matter_day_key" on "stats_matter_day" ("started_on", "category", "procedure");`,
    );
    this.addSql(`create unique index "stats_channel_day_key" on "stats_channel_day" ("day", "channel_id");`);
    this.addSql(`create index "stats_channel_fact_sender_day" on "stats_channel_fact" ("sender_agency_id", "day");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "stats_channel_fact_sender_day";`);
    this.addSql(`drop materialized view if exists "stats_channel_day";`);
    this.addSql(`drop materialized view if exists "stats_matter_day";`);
  }
}
