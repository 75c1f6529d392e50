import { Migration } from '@mikro-orm/migrations';

export class Migration20261201070127_audit extends Migration {

  override name = 'Migration20261201070127_audit';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_entry" ("seq" bigint not null, "at" timestamptz not null, "actor_id" uuid null, "actor_name" varchar(64) null, "agency_id" uuid null, "action" varchar(64) not null, "object_type" varchar(64) not null, "object_id" varchar(64) null, "before" jsonb null, "after" jsonb null, "request_id" varchar(64) null, "client_address" varchar(64) null, "hash_alg" varchar(16) not null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null, primary key ("seq"));`);
    this.addSql(`create index "audit_entry_at_index" on "audit_entry" ("at");`);
    this.addSql(`create index "audit_entry_actor_id_index" on "audit_entry" ("actor_id");`);
    this.addSql(`create index "audit_entry_object_id_index" on "audit_entry" ("object_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_entry" cascade;`);
  }

}
