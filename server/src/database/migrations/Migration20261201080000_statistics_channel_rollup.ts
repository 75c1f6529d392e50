import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written: the channel rollup for the statistics, one row per message a person posted, with
 * its channel kind, the sender's agency, the matter's township and its acknowledgements (given,
 * pending, and the minutes each took). Refreshed concurrently with the other rollups.
 */
export class Migration20261201080000_statistics_channel_rollup extends Migration {
  override name = 'Migration20261201080000_statistics_channel_rollup';

  override up(): void | Promise<void> {
    this.addSql(`create materialized view "stats_channel_fact" as
      select cm.id, cm.channel_id, c.kind::text as kind, (cm.created_at at time zone 'Asia/Shanghai')::date as day,
             m.township_id, u.agency_id as sender_agency_id, cm.requires_ack,
             coalesce(a.acks, 0)::int as acks, coalesce(a.pending, 0)::int as pending_acks,
             coalesce(a.minutes, array[]::float8[]) as ack_minutes
        from channel_message cm
        join channel c on c.id = cm.channel_id
        left join matter m on m.id = c.matter_id
        left join app_user u on u.id = cm.sender_id
        left join lateral (
          select count(ak.acked_at) as acks, count(*) - count(ak.acked_at) as pending,
                 array_agg(extract(epoch from ak.acked_at - cm.created_at)::float8 / 60)
                   filter (where ak.acked_at is not null) as minutes
            from channel_ack ak where ak.message_id = cm.id
        ) a on cm.requires_ack
       where cm.kind = 'user';`);
    this.addSql(`create unique index "stats_channel_fact_id" on "stats_channel_fact" ("id");`);
    this.addSql(`create index "stats_channel_fact_day" on "stats_channel_fact" ("day");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop materialized view if exists "stats_channel_fact";`);
  }
}
