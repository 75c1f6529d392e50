import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written (the entity diff cannot describe triggers): the audit trail is append-only in
 * PostgreSQL itself. Triggers fire for every role, superusers included; only an explicit
 * `alter table … disable trigger` (itself visible in the server log) gets past them, and the hash
 * chain still shows what was changed.
 */
export class Migration20261201070200_audit_append_only extends Migration {
  override name = 'Migration20261201070200_audit_append_only';

  override up(): void {
    this.addSql(`create or replace function xt_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end $$;`);
    this.addSql(
      `create trigger audit_entry_append_only before update or delete on "audit_entry" for each row execute function xt_refuse_change();`,
    );
    this.addSql(
      `create trigger audit_entry_no_truncate before truncate on "audit_entry" for each statement execute function xt_refuse_change();`,
    );
  }

  override down(): void {
    this.addSql(`drop trigger if exists audit_entry_no_truncate on "audit_entry";`);
    this.addSql(`drop trigger if exists audit_entry_append_only on "audit_entry";`);
  }
}
