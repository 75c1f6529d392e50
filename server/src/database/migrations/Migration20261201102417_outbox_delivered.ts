import { Migration } from '@mikro-orm/migrations';

export class Migration20261201102417_outbox_delivered extends Migration {

  override name = 'Migration20261201102417_outbox_delivered';

  override up(): void | Promise<void> {
    this.addSql(`alter table "outbox_message" add "delivered_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "outbox_message" drop column "delivered_at";`);
  }

}
