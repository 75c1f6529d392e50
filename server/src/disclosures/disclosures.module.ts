import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { ClocksModule } from '../clocks/clocks.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { DisclosuresController } from './disclosures.controller.js';
import { DisclosuresService } from './disclosures.service.js';

/** 行政执法公示: the queue of concluded penalty decisions and the public, masked list. */
@Module({
  imports: [CatalogueModule, ClocksModule, OutboxModule],
  controllers: [DisclosuresController],
  providers: [DisclosuresService],
})
export class DisclosuresModule {}
