import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written (the ORM cannot describe these): trigram search over message text, one live
 * membership row per member, and a channel for every matter opened before channels existed.
 */
export class Migration20261201071500_channels_search extends Migration {
  override name = 'Migration20261201071500_channels_search';

  override up(): void | Promise<void> {
    // Trigrams index Chinese text without a word segmenter (any 3-character run is a key), and
    // serve ILIKE '%…%' directly; pg_trgm ships with PostgreSQL.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create index "channel_message_body_trgm" on "channel_message" using gin ("body" gin_trgm_ops);`);
    this.addSql(
      `create unique index "channel_member_live_user" on "channel_member" ("channel_id", "user_id") where "removed_at" is null and "user_id" is not null;`,
    );
    this.addSql(
      `create unique index "channel_member_live_agency" on "channel_member" ("channel_id", "agency_id") where "removed_at" is null and "agency_id" is not null;`,
    );
    this.addSql(
      `insert into "channel" ("id", "kind", "title", "matter_id", "created_at", "last_seq", "last_change_seq")
       select gen_random_uuid(), 'matter', '案件协同 ' || m."number", m."id", now(), 0, 0 from "matter" m
        where not exists (select 1 from "channel" c where c."matter_id" = m."id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "channel_member_live_agency";`);
    this.addSql(`drop index if exists "channel_member_live_user";`);
    this.addSql(`drop index if exists "channel_message_body_trgm";`);
  }
}
