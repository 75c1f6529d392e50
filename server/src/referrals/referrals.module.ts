import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { ClocksModule } from '../clocks/clocks.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ReferralsController } from './referrals.controller.js';
import { ReferralsService } from './referrals.service.js';

/** Matters and referrals: routed by the catalogue, carried by the outbox and the queues. */
@Module({
  imports: [CatalogueModule, OutboxModule, ClocksModule],
  controllers: [ReferralsController],
  providers: [ReferralsService],
  exports: [ReferralsService],
})
export class ReferralsModule {}
