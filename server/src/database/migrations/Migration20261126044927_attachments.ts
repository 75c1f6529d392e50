import { Migration } from '@mikro-orm/migrations';

export class Migration20261126044927_attachments extends Migration {

  override name = 'Migration20261126044927_attachments';

  override up(): void | Promise<void> {
    this.addSql(`create table "attachment" ("id" uuid not null, "matter_id" uuid not null, "referral_id" uuid null, "file_name" varchar(256) not null, "content_type" varchar(128) not null, "size" int not null, "sha256" varchar(64) not null, "storage_key" varchar(128) not null, "uploaded_by_id" uuid not null, "agency_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "attachment_matter_id_index" on "attachment" ("matter_id");`);
    this.addSql(`create index "attachment_sha256_index" on "attachment" ("sha256");`);

    this.addSql(`alter table "attachment" add constraint "attachment_matter_id_foreign" foreign key ("matter_id") references "matter" ("id");`);
    this.addSql(`alter table "attachment" add constraint "attachment_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on delete set null;`);
    this.addSql(`alter table "attachment" add constraint "attachment_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "attachment" add constraint "attachment_agency_id_foreign" foreign key ("agency_id") references "agency" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "attachment" cascade;`);
  }

}
