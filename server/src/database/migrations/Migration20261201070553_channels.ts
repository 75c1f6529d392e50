import { Migration } from '@mikro-orm/migrations';

export class Migration20261201070553_channels extends Migration {

  override name = 'Migration20261201070553_channels';

  override up(): void | Promise<void> {
    this.addSql(`create type "channel_kind" as enum ('matter', 'liaison', 'joint_meeting', 'direct');`);
    this.addSql(`create table "channel" ("id" uuid not null, "kind" "channel_kind" not null, "title" varchar(128) not null, "topic" text null, "matter_id" uuid null, "direct_key" varchar(80) null, "created_by_id" uuid null, "created_at" timestamptz not null, "archived_at" timestamptz null, "archived_by_id" uuid null, "last_seq" int not null default 0, "last_change_seq" int not null default 0, primary key ("id"));`);
    this.addSql(`alter table "channel" add constraint "channel_matter_id_unique" unique ("matter_id");`);
    this.addSql(`alter table "channel" add constraint "channel_direct_key_unique" unique ("direct_key");`);

    this.addSql(`create table "channel_read" ("id" uuid not null, "channel_id" uuid not null, "user_id" uuid not null, "seq" int not null default 0, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "channel_read_user_id_index" on "channel_read" ("user_id");`);
    this.addSql(`alter table "channel_read" add constraint "channel_read_channel_id_user_id_unique" unique ("channel_id", "user_id");`);

    this.addSql(`create table "channel_message" ("id" uuid not null, "channel_id" uuid not null, "seq" int not null, "client_id" uuid null, "kind" text not null, "sender_id" uuid null, "body" text not null, "reply_to" uuid null, "mention_user_ids" uuid[] not null default '{}', "mention_agency_ids" uuid[] not null default '{}', "attachment_ids" uuid[] not null default '{}', "requires_ack" boolean not null default false, "ack_closed_at" timestamptz null, "version" int not null default 1, "edited_at" timestamptz null, "retracted_at" timestamptz null, "retracted_by_id" uuid null, "system" jsonb null, "source_key" varchar(64) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_source_key_unique" unique ("source_key");`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_channel_id_seq_unique" unique ("channel_id", "seq");`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_sender_id_client_id_unique" unique ("sender_id", "client_id");`);

    this.addSql(`create table "channel_message_version" ("id" uuid not null, "message_id" uuid not null, "version" int not null, "body" text not null, "mention_user_ids" uuid[] not null default '{}', "mention_agency_ids" uuid[] not null default '{}', "edited_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "channel_message_version" add constraint "channel_message_version_message_id_version_unique" unique ("message_id", "version");`);

    this.addSql(`create table "channel_ack" ("id" uuid not null, "message_id" uuid not null, "user_id" uuid not null, "acked_at" timestamptz null, "reminders" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "channel_ack_user_id_index" on "channel_ack" ("user_id");`);
    this.addSql(`alter table "channel_ack" add constraint "channel_ack_message_id_user_id_unique" unique ("message_id", "user_id");`);

    this.addSql(`create table "channel_member" ("id" uuid not null, "channel_id" uuid not null, "user_id" uuid null, "agency_id" uuid null, "added_by_id" uuid null, "added_at" timestamptz not null, "removed_at" timestamptz null, "removed_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "channel_member_channel_id_index" on "channel_member" ("channel_id");`);
    this.addSql(`create index "channel_member_user_id_index" on "channel_member" ("user_id");`);
    this.addSql(`create index "channel_member_agency_id_index" on "channel_member" ("agency_id");`);

    this.addSql(`create table "channel_change" ("id" uuid not null, "channel_id" uuid not null, "change_seq" int not null, "type" varchar(32) not null, "message_id" uuid null, "user_id" uuid null, "data" jsonb null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "channel_change_message_id_index" on "channel_change" ("message_id");`);
    this.addSql(`alter table "channel_change" add constraint "channel_change_channel_id_change_seq_unique" unique ("channel_id", "change_seq");`);

    this.addSql(`alter table "channel" add constraint "channel_matter_id_foreign" foreign key ("matter_id") references "matter" ("id") on delete set null;`);
    this.addSql(`alter table "channel" add constraint "channel_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "channel" add constraint "channel_archived_by_id_foreign" foreign key ("archived_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "channel_read" add constraint "channel_read_channel_id_foreign" foreign key ("channel_id") references "channel" ("id");`);
    this.addSql(`alter table "channel_read" add constraint "channel_read_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`);

    this.addSql(`alter table "channel_message" add constraint "channel_message_channel_id_foreign" foreign key ("channel_id") references "channel" ("id");`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_sender_id_foreign" foreign key ("sender_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_retracted_by_id_foreign" foreign key ("retracted_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_kind_check" check ("kind" in ('user', 'system'));`);

    this.addSql(`alter table "channel_message_version" add constraint "channel_message_version_message_id_foreign" foreign key ("message_id") references "channel_message" ("id");`);
    this.addSql(`alter table "channel_message_version" add constraint "channel_message_version_edited_by_id_foreign" foreign key ("edited_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "channel_ack" add constraint "channel_ack_message_id_foreign" foreign key ("message_id") references "channel_message" ("id");`);
    this.addSql(`alter table "channel_ack" add constraint "channel_ack_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`);

    this.addSql(`alter table "channel_member" add constraint "channel_member_channel_id_foreign" foreign key ("channel_id") references "channel" ("id");`);
    this.addSql(`alter table "channel_member" add constraint "channel_member_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "channel_member" add constraint "channel_member_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on delete set null;`);
    this.addSql(`alter table "channel_member" add constraint "channel_member_added_by_id_foreign" foreign key ("added_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "channel_member" add constraint "channel_member_removed_by_id_foreign" foreign key ("removed_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "channel_change" add constraint "channel_change_channel_id_foreign" foreign key ("channel_id") references "channel" ("id");`);
    this.addSql(`alter table "channel_change" add constraint "channel_change_message_id_foreign" foreign key ("message_id") references "channel_message" ("id") on delete set null;`);
    this.addSql(`alter table "channel_change" add constraint "channel_change_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "channel_read" drop constraint "channel_read_channel_id_foreign";`);
    this.addSql(`alter table "channel_message" drop constraint "channel_message_channel_id_foreign";`);
    this.addSql(`alter table "channel_member" drop constraint "channel_member_channel_id_foreign";`);
    this.addSql(`alter table "channel_change" drop constraint "channel_change_channel_id_foreign";`);
    this.addSql(`alter table "channel_message_version" drop constraint "channel_message_version_message_id_foreign";`);
    this.addSql(`alter table "channel_ack" drop constraint "channel_ack_message_id_foreign";`);
    this.addSql(`alter table "channel_change" drop constraint "channel_change_message_id_foreign";`);

    this.addSql(`drop table if exists "channel" cascade;`);
    this.addSql(`drop table if exists "channel_read" cascade;`);
    this.addSql(`drop table if exists "channel_message" cascade;`);
    this.addSql(`drop table if exists "channel_message_version" cascade;`);
    this.addSql(`drop table if exists "channel_ack" cascade;`);
    this.addSql(`drop table if exists "channel_member" cascade;`);
    this.addSql(`drop table if exists "channel_change" cascade;`);

    this.addSql(`drop type "channel_kind";`);
  }

}
