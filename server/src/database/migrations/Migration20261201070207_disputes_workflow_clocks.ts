import { Migration } from '@mikro-orm/migrations';

export class Migration20261201070207_disputes_workflow_clocks extends Migration {

  override name = 'Migration20261201070207_disputes_workflow_clocks';

  override up(): void | Promise<void> {
    this.addSql(`create type "workflow_kind" as enum ('dispute', 'review', 'enforcement', 'interview');`);
    this.addSql(`create table "dispute_position" ("id" uuid not null, "dispute_id" uuid not null, "agency_id" uuid not null, "stance" text not null, "boundary_clause" text not null, "legal_basis" text not null, "attachment_ids" uuid[] not null default '{}', "stated_by_id" uuid not null, "stated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "dispute_position_dispute_id_index" on "dispute_position" ("dispute_id");`);

    this.addSql(`create table "workflow_clock" ("id" uuid not null, "subject_kind" "workflow_kind" not null, "subject_id" uuid not null, "matter_id" uuid not null, "code" "clock_code" not null, "state" "clock_state" not null, "started_at" timestamptz not null, "deadline" timestamptz not null, "warn_at" timestamptz not null, "escalate_at" timestamptz not null, "provisional" boolean not null default false, "generation" int not null default 0, "warned_at" timestamptz null, "overdue_at" timestamptz null, "escalated_at" timestamptz null, "ended_at" timestamptz null, "notify_agency_ids" uuid[] not null default '{}', "escalate_to_agency_ids" uuid[] not null default '{}', primary key ("id"));`);
    this.addSql(`create index "workflow_clock_matter_id_index" on "workflow_clock" ("matter_id");`);
    this.addSql(`create index "workflow_clock_state_index" on "workflow_clock" ("state");`);
    this.addSql(`create index "workflow_clock_deadline_index" on "workflow_clock" ("deadline");`);
    this.addSql(`create index "workflow_clock_subject_kind_subject_id_index" on "workflow_clock" ("subject_kind", "subject_id");`);

    this.addSql(`alter type "clock_code" add value if not exists 'dispute_accept' after 'assistance_reply';`);
    this.addSql(`alter type "clock_code" add value if not exists 'dispute_rule' after 'dispute_accept';`);
    this.addSql(`alter type "clock_code" add value if not exists 'rectification' after 'dispute_rule';`);

    this.addSql(`alter table "responsibility_dispute" add "opened_by_id" uuid null, add "accepted_at" timestamptz null, add "ruled_at" timestamptz null, add "responsible_agency_id" uuid null, add "ruling_text" text null, add "ruling_referral_id" uuid null, add "ruling_boundary_version_id" uuid null, add "revision" int not null default 1;`);
    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_opened_by_id_foreign" foreign key ("opened_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_responsible_agency_id_foreign" foreign key ("responsible_agency_id") references "agency" ("id") on delete set null;`);
    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_ruling_referral_id_foreign" foreign key ("ruling_referral_id") references "referral" ("id") on delete set null;`);
    this.addSql(`alter table "responsibility_dispute" add constraint "responsibility_dispute_ruling_boundary_version_id_foreign" foreign key ("ruling_boundary_version_id") references "boundary_version" ("id") on delete set null;`);

    this.addSql(`alter type "clock_code" add value if not exists 'dispute_accept' after 'assistance_reply';`);
    this.addSql(`alter type "clock_code" add value if not exists 'dispute_rule' after 'dispute_accept';`);
    this.addSql(`alter type "clock_code" add value if not exists 'rectification' after 'dispute_rule';`);

    this.addSql(`alter table "dispute_position" add constraint "dispute_position_dispute_id_foreign" foreign key ("dispute_id") references "responsibility_dispute" ("id");`);
    this.addSql(`alter table "dispute_position" add constraint "dispute_position_agency_id_foreign" foreign key ("agency_id") references "agency" ("id");`);
    this.addSql(`alter table "dispute_position" add constraint "dispute_position_stated_by_id_foreign" foreign key ("stated_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "dispute_position" add constraint "dispute_position_stance_check" check ("stance" in ('ours', 'not_ours'));`);

    this.addSql(`alter table "workflow_clock" add constraint "workflow_clock_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "dispute_position" cascade;`);
    this.addSql(`drop table if exists "workflow_clock" cascade;`);

    this.addSql(`alter table "responsibility_dispute" drop constraint "responsibility_dispute_opened_by_id_foreign";`);
    this.addSql(`alter table "responsibility_dispute" drop constraint "responsibility_dispute_responsible_agency_id_foreign";`);
    this.addSql(`alter table "responsibility_dispute" drop constraint "responsibility_dispute_ruling_referral_id_foreign";`);
    this.addSql(`alter table "responsibility_dispute" drop constraint "responsibility_dispute_ruling_boundary_version_id_foreign";`);

    this.addSql(`alter table "responsibility_dispute" drop column "opened_by_id", drop column "accepted_at", drop column "ruled_at", drop column "responsible_agency_id", drop column "ruling_text", drop column "ruling_referral_id", drop column "ruling_boundary_version_id", drop column "revision";`);

    this.addSql(`drop type "workflow_kind";`);
  }

}
