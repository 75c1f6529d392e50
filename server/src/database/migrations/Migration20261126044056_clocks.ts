import { Migration } from '@mikro-orm/migrations';

export class Migration20261126044056_clocks extends Migration {

  override name = 'Migration20261126044056_clocks';

  override up(): void | Promise<void> {
    this.addSql(`create type "clock_code" as enum ('township_sign', 'township_decide', 'police_decide', 'court_accept', 'court_rule', 'procuratorate_reply', 'assistance_reply');`);
    this.addSql(`create type "clock_state" as enum ('running', 'paused', 'overdue', 'escalated', 'met', 'stopped');`);
    this.addSql(`create table "holiday_arrangement" ("year" serial primary key, "arrangement" jsonb not null, "loaded_by_id" uuid null, "loaded_at" timestamptz not null);`);

    this.addSql(`create table "referral_clock" ("id" uuid not null, "referral_id" uuid not null, "code" "clock_code" not null, "state" "clock_state" not null, "started_at" timestamptz not null, "deadline" timestamptz not null, "warn_at" timestamptz not null, "escalate_at" timestamptz not null, "provisional" boolean not null default false, "generation" int not null default 0, "paused_at" timestamptz null, "warned_at" timestamptz null, "overdue_at" timestamptz null, "escalated_at" timestamptz null, "ended_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "referral_clock_referral_id_index" on "referral_clock" ("referral_id");`);
    this.addSql(`create index "referral_clock_state_index" on "referral_clock" ("state");`);
    this.addSql(`create index "referral_clock_deadline_index" on "referral_clock" ("deadline");`);

    this.addSql(`alter table "holiday_arrangement" add constraint "holiday_arrangement_loaded_by_id_foreign" foreign key ("loaded_by_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "referral_clock" add constraint "referral_clock_referral_id_foreign" foreign key ("referral_id") references "referral" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "holiday_arrangement" cascade;`);
    this.addSql(`drop table if exists "referral_clock" cascade;`);

    this.addSql(`drop type "clock_code";`);
    this.addSql(`drop type "clock_state";`);
  }

}
