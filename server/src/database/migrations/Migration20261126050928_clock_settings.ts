import { Migration } from '@mikro-orm/migrations';

export class Migration20261126050928_clock_settings extends Migration {

  override name = 'Migration20261126050928_clock_settings';

  override up(): void | Promise<void> {
    this.addSql(`create table "clock_setting" ("code" "clock_code" not null, "amount" int not null, "reason" text not null, "updated_by_id" uuid null, "updated_at" timestamptz not null, primary key ("code"));`);

    this.addSql(`alter table "clock_setting" add constraint "clock_setting_updated_by_id_foreign" foreign key ("updated_by_id") references "app_user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "clock_setting" cascade;`);
  }

}
