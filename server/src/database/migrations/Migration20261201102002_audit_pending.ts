import { Migration } from '@mikro-orm/migrations';

export class Migration20261201102002_audit_pending extends Migration {

  override name = 'Migration20261201102002_audit_pending';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_pending" ("id" bigserial primary key, "at" timestamptz not null, "actor_id" uuid null, "actor_name" varchar(64) null, "agency_id" uuid null, "action" varchar(64) not null, "object_type" varchar(64) not null, "object_id" varchar(64) null, "before" jsonb null, "after" jsonb null, "request_id" varchar(64) null, "client_address" varchar(64) null, "hash_alg" varchar(16) not null);`);

    this.addSql(`alter table "audit_entry" add "pending_id" bigint null;`);
    this.addSql(`create index "audit_entry_pending_id_index" on "audit_entry" ("pending_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_pending" cascade;`);

    this.addSql(`drop index "audit_entry_pending_id_index";`);
    this.addSql(`alter table "audit_entry" drop column "pending_id";`);
  }

}
