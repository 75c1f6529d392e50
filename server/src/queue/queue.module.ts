import { Global, Module, type DynamicModule } from '@nestjs/common';
import { QueueBackend, type QueueBackendConfig } from './queue-backend.js';
import { QueueService } from './queue.service.js';

/** One module hides the queue backend; features inject QueueService and nothing else. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: QueueBackendConfig, runWorkers: boolean): DynamicModule {
    return {
      module: QueueModule,
      providers: [
        { provide: QueueBackend, useFactory: () => new QueueBackend(config) },
        {
          provide: QueueService,
          useFactory: (b: QueueBackend) => new QueueService(b, runWorkers),
          inject: [QueueBackend],
        },
      ],
      exports: [QueueService],
    };
  }
}
