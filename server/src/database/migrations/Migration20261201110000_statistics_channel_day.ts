import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written: the channel rollup by channel and day, so that county- or township-wide channel
 * figures read one row per channel-day instead of one per message (a province's year holds
 * about two million messages, 30 to 50 a day in each liaison group). It keeps every
 * acknowledgement's minutes, so the percentiles stay exact. Built from `stats_channel_fact`,
 * refreshed after it; an agency's scope still reads `stats_channel_fact` by sender agency.
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
    this.addSql(`create unique index "stats_channel_day_key" on "stats_channel_day" ("day", "channel_id");`);
    this.addSql(`create index "stats_channel_fact_sender_day" on "stats_channel_fact" ("sender_agency_id", "day");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "stats_channel_fact_sender_day";`);
    this.addSql(`drop materialized view if exists "stats_channel_day";`);
  }
}
