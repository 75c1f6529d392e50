import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { ReferralsModule } from '../referrals/referrals.module.js';
import { InterferenceController } from './interference.controller.js';
import { InterferenceService } from './interference.service.js';

/** 干预记录: sealed records of attempts to influence a case, and quarterly reports. */
@Module({
  imports: [ReferralsModule, CatalogueModule],
  controllers: [InterferenceController],
  providers: [InterferenceService],
})
export class InterferenceModule {}
