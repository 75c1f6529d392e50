import { Migration } from '@mikro-orm/migrations';

export class Migration20261201070732_procuratorate_reviews extends Migration {

  override name = 'Migration20261201070732_procuratorate_reviews';

  override up(): void | Promise<void> {
    this.addSql(`create table "procuratorate_review" ("id" uuid not null, "matter_id" uuid not null, "procuratorate_id" uuid not null, "bureau_id" uuid not null, "state" varchar(32) not null, "opened_by_id" uuid not null, "checklist" jsonb null, "opinion" text null, "opinion_text" text null, "suggestion_text" text null, "reply_text" text null, "reply_measures" text[] not null default '{}', "replied_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "revision" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "procuratorate_review_matter_id_index" on "procuratorate_review" ("matter_id");`);
    this.addSql(`create index "procuratorate_review_bureau_id_index" on "procuratorate_review" ("bureau_id");`);
    this.addSql(`create index "procuratorate_review_state_index" on "procuratorate_review" ("state");`);

    this.addSql(`alter table "procuratorate_review" add constraint "procuratorate_review_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "procuratorate_review" add constraint "procuratorate_review_procuratorate_id_foreign" foreign key ("procuratorate_id") references "agency" ("id");`);
    this.addSql(`alter table "procuratorate_review" add constraint "procuratorate_review_bureau_id_foreign" foreign key ("bureau_id") references "agency" ("id");`);
    this.addSql(`alter table "procuratorate_review" add constraint "procuratorate_review_opened_by_id_foreign" foreign key ("opened_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "procuratorate_review" add constraint "procuratorate_review_opinion_check" check ("opinion" in ('no_objection', 'suggestion', 'public_interest_litigation'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "procuratorate_review" cascade;`);
  }

}
