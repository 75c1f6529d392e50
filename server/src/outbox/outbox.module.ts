import { Module } from '@nestjs/common';
import { DeliveryProcessor } from './delivery.processor.js';
import { IdempotencyInterceptor } from './idempotency.js';
import { OutboxRelay } from './outbox.service.js';

/** The outbox relay and the delivery processor run in every process that has the queues. */
@Module({
  providers: [OutboxRelay, DeliveryProcessor, IdempotencyInterceptor],
  exports: [OutboxRelay, IdempotencyInterceptor, DeliveryProcessor],
})
export class OutboxModule {}
