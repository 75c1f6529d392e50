import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { ClocksModule } from '../clocks/clocks.module.js';
import { DisputesController } from '../disputes/disputes.controller.js';
import { DisputesService } from '../disputes/disputes.service.js';
import { EnforcementController } from '../enforcement/enforcement.controller.js';
import { EnforcementService } from '../enforcement/enforcement.service.js';
import { InterviewsController } from '../interviews/interviews.controller.js';
import { InterviewsService } from '../interviews/interviews.service.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ReferralsModule } from '../referrals/referrals.module.js';
import { ReviewsController } from '../reviews/reviews.controller.js';
import { ReviewsService } from '../reviews/reviews.service.js';

/** The workflows beside referrals: disputes, procuratorate reviews, court enforcement, joint interviews. */
@Module({
  imports: [CatalogueModule, OutboxModule, ClocksModule, ReferralsModule],
  controllers: [DisputesController, ReviewsController, EnforcementController, InterviewsController],
  providers: [DisputesService, ReviewsService, EnforcementService, InterviewsService],
})
export class WorkflowsModule {}
