import { Migration } from '@mikro-orm/migrations';

export class Migration20261126033934_initial extends Migration {

  override name = 'Migration20261126033934_initial';

  override up(): void | Promise<void> {
    this.addSql(`create type "agency_kind" as enum ('enforcement_bureau', 'bureau_squadron', 'public_security', 'procuratorate', 'court', 'guidance_office', 'line_department', 'township');`);
    this.addSql(`create table "agency" ("id" uuid not null, "code" varchar(32) not null, "kind" "agency_kind" not null, "name_zh" varchar(128) not null, "name_en" varchar(128) not null, "delegated" boolean not null default false, "parent_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "agency" add constraint "agency_code_unique" unique ("code");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "username" varchar(64) not null, "display_name" varchar(64) not null, "password_hash" varchar(256) not null, "agency_id" uuid not null, "roles" text[] not null, "active" boolean not null default true, "failed_logins" int not null default 0, "locked_until" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_username_unique" unique ("username");`);
    this.addSql(`create index "app_user_agency_id_index" on "app_user" ("agency_id");`);

    this.addSql(`create table "auth_session" ("id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" varchar(64) null, "client_address" varchar(64) null, "user_agent" varchar(256) null, primary key ("id"));`);
    this.addSql(`create index "auth_session_user_id_index" on "auth_session" ("user_id");`);

    this.addSql(`create table "refresh_token" ("id" uuid not null, "session_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "used_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "refresh_token_session_id_index" on "refresh_token" ("session_id");`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "agency" add constraint "agency_parent_id_foreign" foreign key ("parent_id") references "agency" ("id") on delete set null;`);

    this.addSql(`alter table "app_user" add constraint "app_user_agency_id_foreign" foreign key ("agency_id") references "agency" ("id");`);

    this.addSql(`alter table "auth_session" add constraint "auth_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`);

    this.addSql(`alter table "refresh_token" add constraint "refresh_token_session_id_foreign" foreign key ("session_id") references "auth_session" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "agency" drop constraint "agency_parent_id_foreign";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_agency_id_foreign";`);
    this.addSql(`alter table "auth_session" drop constraint "auth_session_user_id_foreign";`);
    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_session_id_foreign";`);

    this.addSql(`drop table if exists "agency" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "auth_session" cascade;`);
    this.addSql(`drop table if exists "refresh_token" cascade;`);

    this.addSql(`drop type "agency_kind";`);
  }

}
