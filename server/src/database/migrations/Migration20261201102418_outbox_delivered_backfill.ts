import { Migration } from '@mikro-orm/migrations';

/**
 * Rows relayed before `delivered_at` existed count as delivered: a rebuild after a Redis loss
 * relays again only what may still have been waiting in the lost queue, never the history.
 */
export class Migration20261201102418_outbox_delivered_backfill extends Migration {
  override name = 'Migration20261201102418_outbox_delivered_backfill';

  override up(): void | Promise<void> {
    this.addSql(`update "outbox_message" set "delivered_at" = "enqueued_at" where "enqueued_at" is not null;`);
  }

  override down(): void | Promise<void> {}
}
