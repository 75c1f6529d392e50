import { Migration } from '@mikro-orm/migrations';

export class Migration20261126045958_notifications extends Migration {

  override name = 'Migration20261126045958_notifications';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification" ("id" uuid not null, "user_id" uuid not null, "event_key" varchar(64) not null, "kind" varchar(48) not null, "title" varchar(256) not null, "link" jsonb not null, "read_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "notification_user_id_index" on "notification" ("user_id");`);
    this.addSql(`alter table "notification" add constraint "notification_user_id_event_key_unique" unique ("user_id", "event_key");`);

    this.addSql(`create table "webhook_subscription" ("id" uuid not null, "agency_id" uuid not null, "url" varchar(512) not null, "secret" varchar(128) not null, "events" text[] not null, "active" boolean not null default true, "created_by_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "webhook_subscription_agency_id_index" on "webhook_subscription" ("agency_id");`);

    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "subscription_id" uuid not null, "event_key" varchar(64) not null, "event" varchar(48) not null, "payload" jsonb not null, "status" text not null default 'pending', "attempts" int not null default 0, "last_status" int null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_subscription_id_index" on "webhook_delivery" ("subscription_id");`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_subscription_id_event_key_unique" unique ("subscription_id", "event_key");`);

    this.addSql(`alter table "notification" add constraint "notification_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`);

    this.addSql(`alter table "webhook_subscription" add constraint "webhook_subscription_agency_id_foreign" foreign key ("agency_id") references "agency" ("id");`);
    this.addSql(`alter table "webhook_subscription" add constraint "webhook_subscription_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id");`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_subscription_id_foreign" foreign key ("subscription_id") references "webhook_subscription" ("id");`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_status_check" check ("status" in ('pending', 'delivered', 'dead'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_subscription_id_foreign";`);

    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "webhook_subscription" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }

}
