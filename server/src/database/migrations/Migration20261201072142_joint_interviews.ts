import { Migration } from '@mikro-orm/migrations';

export class Migration20261201072142_joint_interviews extends Migration {

  override name = 'Migration20261201072142_joint_interviews';

  override up(): void | Promise<void> {
    this.addSql(`create table "joint_interview" ("id" uuid not null, "matter_id" uuid not null, "organiser_id" uuid not null, "state" varchar(32) not null, "reason" text not null, "party_name" varchar(128) not null, "party_contact" varchar(128) not null, "agenda" text not null, "invited_officer_ids" uuid[] not null default '{}', "scheduled_at" timestamptz null, "place" varchar(256) null, "sequence" int not null default 0, "summary" text null, "commitments" text[] not null default '{}', "rectification_deadline" date null, "rectified" boolean null, "verification_evidence" text null, "verification_attachment_ids" uuid[] not null default '{}', "escalation_target" text null, "escalation_referral_id" uuid null, "escalation_enforcement_id" uuid null, "cancel_reason" text null, "created_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "revision" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "joint_interview_matter_id_index" on "joint_interview" ("matter_id");`);
    this.addSql(`create index "joint_interview_organiser_id_index" on "joint_interview" ("organiser_id");`);
    this.addSql(`create index "joint_interview_state_index" on "joint_interview" ("state");`);

    this.addSql(`create table "interview_participant" ("id" uuid not null, "interview_id" uuid not null, "agency_id" uuid not null, "invited" boolean not null, "confirmed_at" timestamptz null, "attendee_name" varchar(64) null, "attended" boolean null, "minutes_signed_at" timestamptz null, "minutes_signed_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "interview_participant_interview_id_index" on "interview_participant" ("interview_id");`);
    this.addSql(`alter table "interview_participant" add constraint "interview_participant_interview_id_agency_id_unique" unique ("interview_id", "agency_id");`);

    this.addSql(`alter table "joint_interview" add constraint "joint_interview_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "joint_interview" add constraint "joint_interview_organiser_id_foreign" foreign key ("organiser_id") references "agency" ("id");`);
    this.addSql(`alter table "joint_interview" add constraint "joint_interview_escalation_referral_id_foreign" foreign key ("escalation_referral_id") references "referral" ("id") on delete set null;`);
    this.addSql(`alter table "joint_interview" add constraint "joint_interview_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "joint_interview" add constraint "joint_interview_reason_check" check ("reason" in ('refuses_cooperation', 'refuses_rectification'));`);
    this.addSql(`alter table "joint_interview" add constraint "joint_interview_escalation_target_check" check ("escalation_target" in ('public_security', 'court'));`);

    this.addSql(`alter table "interview_participant" add constraint "interview_participant_interview_id_foreign" foreign key ("interview_id") references "joint_interview" ("id");`);
    this.addSql(`alter table "interview_participant" add constraint "interview_participant_agency_id_foreign" foreign key ("agency_id") references "agency" ("id");`);
    this.addSql(`alter table "interview_participant" add constraint "interview_participant_minutes_signed_by_id_foreign" foreign key ("minutes_signed_by_id") references "app_user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "interview_participant" drop constraint "interview_participant_interview_id_foreign";`);

    this.addSql(`drop table if exists "joint_interview" cascade;`);
    this.addSql(`drop table if exists "interview_participant" cascade;`);
  }

}
