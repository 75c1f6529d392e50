import { Migration } from '@mikro-orm/migrations';

export class Migration20261126042821_referrals extends Migration {

  override name = 'Migration20261126042821_referrals';

  override up(): void | Promise<void> {
    this.addSql(`create type "referral_kind" as enum ('jurisdiction_transfer', 'police_assistance', 'approval_files_request', 'supervision_opinion_request', 'suspected_crime_transfer', 'supervision_request', 'public_interest_pre_review', 'compulsory_enforcement');`);
    this.addSql(`create table "idempotent_request" ("id" bigserial primary key, "user_id" uuid not null, "key" varchar(128) not null, "route" varchar(128) not null, "request_hash" varchar(64) not null, "status" int not null, "body" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "idempotent_request" add constraint "idempotent_request_user_id_key_unique" unique ("user_id", "key");`);

    this.addSql(`create table "outbox_message" ("id" bigserial primary key, "topic" varchar(64) not null, "payload" jsonb not null, "created_at" timestamptz not null, "enqueued_at" timestamptz null);`);
    this.addSql(`create index "outbox_message_enqueued_at_index" on "outbox_message" ("enqueued_at");`);

    this.addSql(`create table "matter" ("id" uuid not null, "number" varchar(32) not null, "item_id" uuid not null, "boundary_version_id" uuid not null, "township_id" uuid not null, "place" varchar(256) not null, "party_kind" text not null, "party_name" varchar(128) not null, "party_id_number" varchar(32) null, "procedure" text not null, "major_difficult" boolean not null default false, "public_interest_clue" boolean not null default false, "suspected_crime" boolean not null default false, "origin_agency_id" uuid not null, "started_on" date not null, "summary" text not null, "created_by_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "matter" add constraint "matter_number_unique" unique ("number");`);
    this.addSql(`create index "matter_item_id_index" on "matter" ("item_id");`);
    this.addSql(`create index "matter_township_id_index" on "matter" ("township_id");`);
    this.addSql(`create index "matter_origin_agency_id_index" on "matter" ("origin_agency_id");`);

    this.addSql(`create table "referral" ("id" uuid not null, "matter_id" uuid not null, "kind" "referral_kind" not null, "from_agency_id" uuid not null, "to_agency_id" uuid not null, "inform_agency_ids" uuid[] not null default '{}', "state" varchar(32) not null, "routing_rule" varchar(64) not null, "override_reason" text null, "created_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "revision" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "referral_matter_id_index" on "referral" ("matter_id");`);
    this.addSql(`create index "referral_from_agency_id_index" on "referral" ("from_agency_id");`);
    this.addSql(`create index "referral_to_agency_id_index" on "referral" ("to_agency_id");`);
    this.addSql(`create index "referral_state_index" on "referral" ("state");`);

    this.addSql(`create table "timeline_entry" ("id" uuid not null, "matter_id" uuid not null, "referral_id" uuid null, "actor_id" uuid null, "agency_id" uuid null, "action" varchar(48) not null, "from_state" varchar(32) null, "to_state" varchar(32) null, "detail" jsonb not null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "timeline_entry_matter_id_index" on "timeline_entry" ("matter_id");`);
    this.addSql(`create index "timeline_entry_referral_id_index" on "timeline_entry" ("referral_id");`);

    this.addSql(`create table "responsibility_dispute" ("id" uuid not null, "matter_id" uuid not null, "agency_a_id" uuid not null, "agency_b_id" uuid not null, "pattern" text not null, "state" varchar(32) not null default 'open', "opened_by_referral_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "responsibility_dispute_matter_id_index" on "responsibility_dispute" ("matter_id");`);

    this.addSql(`create table "matter_agency" ("id" uuid not null, "matter_id" uuid not null, "agency_id" uuid not null, "role" text not null, "since" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "matter_agency_matter_id_index" on "matter_agency" ("matter_id");`);
    this.addSql(`create index "matter_agency_agency_id_index" on "matter_agency" ("agency_id");`);
    this.addSql(`alter table "matter_agency" add constraint "matter_agency_matter_id_agency_id_unique" unique ("matter_id", "agency_id");`);

    this.addSql(`alter table "matter" add constraint "matter_item_id_foreign" foreign key ("item_id") references "enforcement_item" ("id");`);
    this.addSql(`alter table "matter" add constraint "matter_boundary_version_id_foreign" foreign key ("boundary_version_id") references "boundary_version" ("id");`);
    this.addSql(`alter table "matter" add constraint "matter_township_id_foreign" foreign key ("township_id") references "agency" ("id");`);
    this.addSql(`alter table "matter" add constraint "matter_origin_agency_id_foreign" foreign key ("origin_agency_id") references "agency" ("id");`);
    this.addSql(`alter table "matter" add constraint "matter_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "matter" add constraint "matter_party_kind_check" check ("party_kind" in ('person', 'company'));`);
    this.addSql(`alter table "matter" add constraint "matter_procedure_check" check ("procedure" in ('general', 'simple'));`);

    this.addSql(`alter table "referral" add constraint "referral_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "referral" add constraint "referral_from_agency_id_foreign" foreign key ("from_agency_id") references "agency" ("id");`);
    this.addSql(`alter table "referral" add constraint "referral_to_agency_id_foreign" foreign key ("to_agency_id") references "agency" ("id");`);
    this.addSql(`alter table "referral" add constraint "referral_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id");`);

    this.addSql(`alter table "timeline_entry" add constraint "timeline_entry_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "timeline_entry" add constraint "timeline_entry_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on delete set null;`);
    this.addSql(`alter table "timeline_entry" add constraint "timeline_entry_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "timeline_entry" add constraint "timeline_entry_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on delete set null;`);

    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_agency_a_id_foreign" foreign key ("agency_a_id") references "agency" ("id");`);
    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_agency_b_id_foreign" foreign key ("agency_b_id") references "agency" ("id");`);
    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_opened_by_referral_id_foreign" foreign key ("opened_by_referral_id") references "referral" ("id") on delete set null;`);
    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_pattern_check" check ("pattern" in ('both_refuse', 'both_claim'));`);

    this.addSql(`alter table "matter_agency" add constraint "matter_agency_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "matter_agency" add constraint "matter_agency_agency_id_foreign" foreign key ("agency_id") references "agency" ("id");`);
    this.addSql(`alter table "matter_agency" add constraint "matter_agency_role_check" check ("role" in ('origin', 'receiver', 'informed'));`);

    // Written by hand: human matter numbers (协-2026-000042) come from one sequence.
    this.addSql(`create sequence if not exists "matter_number_seq";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "referral" drop constraint "referral_matter_id_foreign";`);
    this.addSql(`alter table "timeline_entry" drop constraint "timeline_entry_matter_id_foreign";`);
    this.addSql(`alter table "responsibility_dispute" drop constraint "responsibility_dispute_matter_id_foreign";`);
    this.addSql(`alter table "matter_agency" drop constraint "matter_agency_matter_id_foreign";`);
    this.addSql(`alter table "timeline_entry" drop constraint "timeline_entry_referral_id_foreign";`);
    this.addSql(`alter table "responsibility_dispute" drop constraint "responsibility_dispute_opened_by_referral_id_foreign";`);

    this.addSql(`drop table if exists "idempotent_request" cascade;`);
    this.addSql(`drop table if exists "outbox_message" cascade;`);
    this.addSql(`drop table if exists "matter" cascade;`);
    this.addSql(`drop table if exists "referral" cascade;`);
    this.addSql(`drop table if exists "timeline_entry" cascade;`);
    this.addSql(`drop table if exists "responsibility_dispute" cascade;`);
    this.addSql(`drop table if exists "matter_agency" cascade;`);

    this.addSql(`drop type "referral_kind";`);
  }

}
