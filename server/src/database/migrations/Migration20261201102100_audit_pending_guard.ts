import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written (the entity diff cannot describe triggers): audit entries waiting for the chain
 * writer cannot be changed or dropped on the way. UPDATE and TRUNCATE are refused outright; a
 * DELETE only of a row the chain already holds (`audit_entry.pending_id`), which is how the
 * writer moves them.
 */
export class Migration20261201102100_audit_pending_guard extends Migration {
  override name = 'Migration20261201102100_audit_pending_guard';

  override up(): void {
    this.addSql(`create or replace function xt_pending_chained_only() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from audit_entry where pending_id = old.id) then
    raise exception 'audit_pending: entry % is not in the chain yet: DELETE refused', old.id using errcode = 'insufficient_privilege';
  end if;
  return old;
end $$;`);
    this.addSql(
      `create trigger audit_pending_no_update before update on "audit_pending" for each row execute function xt_refuse_change();`,
    );
    this.addSql(
      `create trigger audit_pending_chained_only before delete on "audit_pending" for each row execute function xt_pending_chained_only();`,
    );
    this.addSql(
      `create trigger audit_pending_no_truncate before truncate on "audit_pending" for each statement execute function xt_refuse_change();`,
    );
  }

  override down(): void {
    this.addSql(`drop trigger if exists audit_pending_no_truncate on "audit_pending";`);
    this.addSql(`drop trigger if exists audit_pending_chained_only on "audit_pending";`);
    this.addSql(`drop trigger if exists audit_pending_no_update on "audit_pending";`);
    this.addSql(`drop function if exists xt_pending_chained_only();`);
  }
}
