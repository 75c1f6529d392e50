import { Migration } from '@mikro-orm/migrations';

export class Migration20261201071438_court_enforcement extends Migration {

  override name = 'Migration20261201071438_court_enforcement';

  override up(): void | Promise<void> {
    this.addSql(`create table "enforcement_application" ("id" uuid not null, "matter_id" uuid not null, "applicant_id" uuid not null, "court_id" uuid not null, "state" varchar(32) not null, "decision_number" varchar(128) null, "obligation" text null, "amount_yuan" numeric(14,2) null, "demand_notice_number" varchar(128) null, "demand_notice_on" date null, "ruling_number" varchar(128) null, "ruling_execute" boolean null, "ruling_reasons" text null, "execution_outcome" text null, "execution_note" text null, "from_interview_id" uuid null, "created_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "revision" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "enforcement_application_matter_id_index" on "enforcement_application" ("matter_id");`);
    this.addSql(`create index "enforcement_application_applicant_id_index" on "enforcement_application" ("applicant_id");`);
    this.addSql(`create index "enforcement_application_court_id_index" on "enforcement_application" ("court_id");`);
    this.addSql(`create index "enforcement_application_state_index" on "enforcement_application" ("state");`);

    this.addSql(`alter table "enforcement_application" add constraint "enforcement_application_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "enforcement_application" add constraint "enforcement_application_applicant_id_foreign" foreign key ("applicant_id") references "agency" ("id");`);
    this.addSql(`alter table "enforcement_application" add constraint "enforcement_application_court_id_foreign" foreign key ("court_id") references "agency" ("id");`);
    this.addSql(`alter table "enforcement_application" add constraint "enforcement_application_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "enforcement_application" add constraint "enforcement_application_execution_outcome_check" check ("execution_outcome" in ('party_complied', 'court_executed', 'original_state_restored'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "enforcement_application" cascade;`);
  }

}
