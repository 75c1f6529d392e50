import { Migration } from '@mikro-orm/migrations';

/** Hand-written: an interference record is sealed the moment it is written (no edit, no delete). */
export class Migration20261201071300_interference_sealed extends Migration {
  override name = 'Migration20261201071300_interference_sealed';

  override up(): void {
    this.addSql(
      `create trigger interference_record_sealed before update or delete on "interference_record" for each row execute function xt_refuse_change();`,
    );
    this.addSql(
      `create trigger interference_record_no_truncate before truncate on "interference_record" for each statement execute function xt_refuse_change();`,
    );
  }

  override down(): void {
    this.addSql(`drop trigger if exists interference_record_no_truncate on "interference_record";`);
    this.addSql(`drop trigger if exists interference_record_sealed on "interference_record";`);
  }
}
