import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '../../auth/auth.module.js';
import { PolicyCoverageCheck } from './policy-coverage.js';
import { PolicyGuard } from './policy.guard.js';
import { PolicyService } from './policy.service.js';

/** The one policy layer: the global guard, the service, and the boot-time coverage check. */
@Global()
@Module({
  imports: [DiscoveryModule, AuthModule],
  providers: [PolicyService, PolicyCoverageCheck, { provide: APP_GUARD, useClass: PolicyGuard }],
  exports: [PolicyService],
})
export class PolicyModule {}
