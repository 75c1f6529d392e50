import { Migration } from '@mikro-orm/migrations';

export class Migration20261201071209_record extends Migration {

  override name = 'Migration20261201071209_record';

  override up(): void | Promise<void> {
    this.addSql(`create type "interference_method" as enum ('phone', 'in_person', 'message', 'letter', 'other');`);
    this.addSql(`create type "disclosure_state" as enum ('queued', 'published', 'withdrawn');`);
    this.addSql(`create table "interference_record" ("id" uuid not null, "agency_id" uuid not null, "recorded_by_id" uuid not null, "matter_id" uuid null, "channel_id" uuid null, "person_name" varchar(64) not null, "person_position" varchar(128) not null, "person_organisation" varchar(128) null, "person_user_id" uuid null, "occurred_at" timestamptz not null, "method" "interference_method" not null, "content" text not null, "sealed_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "interference_record_agency_id_index" on "interference_record" ("agency_id");`);
    this.addSql(`create index "interference_record_matter_id_index" on "interference_record" ("matter_id");`);
    this.addSql(`create index "interference_record_person_user_id_index" on "interference_record" ("person_user_id");`);
    this.addSql(`create index "interference_record_sealed_at_index" on "interference_record" ("sealed_at");`);

    this.addSql(`create table "disclosure" ("id" uuid not null, "matter_id" uuid not null, "referral_id" uuid null, "agency_id" uuid not null, "decided_on" date not null, "due_on" date not null, "decision" text not null, "state" "disclosure_state" not null, "published_at" timestamptz null, "published_by_id" uuid null, "withdrawn_at" timestamptz null, "withdrawn_by_id" uuid null, "withdraw_reason" text null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "disclosure_matter_id_index" on "disclosure" ("matter_id");`);
    this.addSql(`alter table "disclosure" add constraint "disclosure_referral_id_unique" unique ("referral_id");`);
    this.addSql(`create index "disclosure_agency_id_index" on "disclosure" ("agency_id");`);
    this.addSql(`create index "disclosure_due_on_index" on "disclosure" ("due_on");`);
    this.addSql(`create index "disclosure_state_index" on "disclosure" ("state");`);

    this.addSql(`alter table "interference_record" add constraint "interference_record_agency_id_foreign" foreign key ("agency_id") references "agency" ("id");`);
    this.addSql(`alter table "interference_record" add constraint "interference_record_recorded_by_id_foreign" foreign key ("recorded_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "interference_record" add constraint "interference_record_matter_id_foreign" foreign key ("matter_id") references "matter" ("id") on delete set null;`);

    this.addSql(`alter table "disclosure" add constraint "disclosure_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "disclosure" add constraint "disclosure_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on delete set null;`);
    this.addSql(`alter table "disclosure" add constraint "disclosure_agency_id_foreign" foreign key ("agency_id") references "agency" ("id");`);
    this.addSql(`alter table "disclosure" add constraint "disclosure_published_by_id_foreign" foreign key ("published_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "disclosure" add constraint "disclosure_withdrawn_by_id_foreign" foreign key ("withdrawn_by_id") references "app_user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "interference_record" cascade;`);
    this.addSql(`drop table if exists "disclosure" cascade;`);

    this.addSql(`drop type "interference_method";`);
    this.addSql(`drop type "disclosure_state";`);
  }

}
