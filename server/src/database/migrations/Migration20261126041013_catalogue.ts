import { Migration } from '@mikro-orm/migrations';

export class Migration20261126041013_catalogue extends Migration {

  override name = 'Migration20261126041013_catalogue';

  override up(): void | Promise<void> {
    this.addSql(`create type "item_category" as enum ('市容环境', '规划建设', '燃气安全', '文明养犬', '垃圾分类', '生态环境', '市场监管', '自然资源', '交通运输');`);
    this.addSql(`create type "boundary_change_reason" as enum ('batch', 'delegation_change', 'dispute_ruling', 'correction');`);
    this.addSql(`create table "enforcement_item" ("id" uuid not null, "code" varchar(64) not null, "name_zh" varchar(256) not null, "category" "item_category" not null, "legal_basis" text not null, "transfer_batch" varchar(32) not null, "transfer_date" date not null, "pinyin_initials" varchar(256) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "enforcement_item" add constraint "enforcement_item_code_unique" unique ("code");`);
    this.addSql(`create index "enforcement_item_pinyin_initials_index" on "enforcement_item" ("pinyin_initials");`);

    this.addSql(`create table "boundary_version" ("id" uuid not null, "item_id" uuid not null, "version" int not null, "effective_from" date not null, "effective_to" date null, "supervising_id" uuid null, "approving_id" uuid null, "penalising_id" uuid null, "delegated_township_ids" uuid[] not null default '{}', "evidence_handoff_duty" text not null default '', "result_feedback_duty" text not null default '', "reason" "boundary_change_reason" not null, "note" text not null, "cause_ref" varchar(128) null, "created_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "boundary_version_item_id_index" on "boundary_version" ("item_id");`);
    this.addSql(`alter table "boundary_version" add constraint "boundary_version_item_id_version_unique" unique ("item_id", "version");`);

    this.addSql(`alter table "boundary_version" add constraint "boundary_version_item_id_foreign" foreign key ("item_id") references "enforcement_item" ("id");`);
    this.addSql(`alter table "boundary_version" add constraint "boundary_version_supervising_id_foreign" foreign key ("supervising_id") references "agency" ("id") on delete set null;`);
    this.addSql(`alter table "boundary_version" add constraint "boundary_version_approving_id_foreign" foreign key ("approving_id") references "agency" ("id") on delete set null;`);
    this.addSql(`alter table "boundary_version" add constraint "boundary_version_penalising_id_foreign" foreign key ("penalising_id") references "agency" ("id") on delete set null;`);
    this.addSql(`alter table "boundary_version" add constraint "boundary_version_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "boundary_version" add constraint "boundary_version_period_check" check (effective_to is null or effective_to > effective_from);`);

    // Written by hand (the ORM cannot describe it): the versions of one item never overlap.
    this.addSql(`create extension if not exists btree_gist;`);
    this.addSql(`alter table "boundary_version" add constraint "boundary_version_no_overlap" exclude using gist (item_id with =, daterange(effective_from, effective_to, '[)') with &&) deferrable initially deferred;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "boundary_version" drop constraint "boundary_version_item_id_foreign";`);

    this.addSql(`drop table if exists "enforcement_item" cascade;`);
    this.addSql(`drop table if exists "boundary_version" cascade;`);

    this.addSql(`drop type "item_category";`);
    this.addSql(`drop type "boundary_change_reason";`);
  }

}
