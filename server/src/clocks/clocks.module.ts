import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ClocksController } from './clocks.controller.js';
import { ClocksService } from './clocks.service.js';
import { WorkflowClocksService } from './workflow-clocks.service.js';

/** Legal clocks: the working-day calendar, clock rows, and their delayed steps. */
@Module({
  imports: [OutboxModule],
  controllers: [ClocksController],
  providers: [ClocksService, WorkflowClocksService],
  exports: [ClocksService, WorkflowClocksService],
})
export class ClocksModule {}
