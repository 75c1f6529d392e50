import { Migration } from '@mikro-orm/migrations';

export class Migration20261126045710_clock_extensions extends Migration {

  override name = 'Migration20261126045710_clock_extensions';

  override up(): void | Promise<void> {
    this.addSql(`alter table "referral_clock" add "extension_amount" int null, add "extension_reason" text null, add "extension_requested_at" timestamptz null, add "extension_requested_by_id" uuid null, add "extended_by" int not null default 0;`);
    this.addSql(`alter table "referral_clock" add constraint "referral_clock_extension_requested_by_id_foreign" foreign key ("extension_requested_by_id") references "app_user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "referral_clock" drop constraint "referral_clock_extension_requested_by_id_foreign";`);

    this.addSql(`alter table "referral_clock" drop column "extension_amount", drop column "extension_reason", drop column "extension_requested_at", drop column "extension_requested_by_id", drop column "extended_by";`);
  }

}
