import { Migration } from '@mikro-orm/migrations';

export class Migration20261201070421_statistics extends Migration {

  override name = 'Migration20261201070421_statistics';

  override up(): void | Promise<void> {
    this.addSql(`create table "system_marker" ("key" varchar(64) not null, "at" timestamptz not null, "detail" jsonb not null, primary key ("key"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "system_marker" cascade;`);
  }

}
