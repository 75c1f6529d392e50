import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { QueueDashboardModule } from './admin/queue-dashboard.module.js';
import { AgenciesModule } from './agencies/agencies.module.js';
import { AuditModule } from './audit/audit.module.js';
import { DisclosuresModule } from './disclosures/disclosures.module.js';
import { InterferenceModule } from './interference/interference.module.js';
import { AttachmentsModule } from './attachments/attachments.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CatalogueModule } from './catalogue/catalogue.module.js';
import { ChannelsCoreModule, ChannelsModule } from './channels/channels.module.js';
import { ClocksModule } from './clocks/clocks.module.js';
import { PolicyModule } from './common/policy/policy.module.js';
import { AppConfig } from './config/app-config.provider.js';
import type { AppConfig as AppConfigShape } from './config/config.js';
import { DatabaseModule } from './database/database.module.js';
import { ormOptions } from './database/orm.config.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { QueueModule } from './queue/queue.module.js';
import { ReferralsModule } from './referrals/referrals.module.js';
import type { QueueBackendConfig } from './queue/queue-backend.js';
import { RealtimeBusModule, RealtimeModule } from './realtime/realtime.module.js';
import { StatisticsCoreModule, StatisticsModule } from './statistics/statistics.module.js';
import { UsersModule } from './users/users.module.js';
import { WorkflowsModule } from './workflows/workflows.module.js';

export interface AppRuntime {
  config: AppConfigShape;
  databaseUrl: string;
  queue: QueueBackendConfig;
  /** Whether this process runs queue workers (all-in-one and worker processes do). */
  runWorkers: boolean;
  /** Whether this process serves HTTP and sockets. */
  serveHttp: boolean;
}

@Module({})
class ConfigHolderModule {}

@Module({})
export class AppModule {
  static forRoot(runtime: AppRuntime): DynamicModule {
    const { config } = runtime;
    const common = [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...config })] }),
      {
        module: ConfigHolderModule,
        global: true,
        providers: [{ provide: AppConfig, useValue: config }],
        exports: [AppConfig],
      },
      LoggerModule.forRoot({
        pinoHttp: {
          level: config.logLevel,
          // Several nodes write to one log store: each line says which one.
          base: { pid: process.pid, node: config.nodeId },
          genReqId: (req: IncomingMessage, res: ServerResponse) => {
            const given = req.headers['x-request-id'];
            const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
            res.setHeader('X-Request-Id', id);
            return id;
          },
          // Secrets never reach the logs.
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
              '*.password',
              '*.refreshToken',
              '*.accessToken',
              '*.token',
            ],
            censor: '[redacted]',
          },
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' || req.url === '/metrics' },
        },
      }),
      MikroOrmModule.forRoot({
        ...ormOptions(runtime.databaseUrl, { pool: { min: 0, max: config.databasePoolMax } }, config.audit.hash),
        registerRequestContext: true,
      }),
      QueueModule.forRoot(runtime.queue, runtime.runWorkers),
      RealtimeBusModule,
      DatabaseModule,
      AuthModule,
      PolicyModule,
      AuditModule,
      OutboxModule,
      ClocksModule,
      NotificationsModule,
      // follows delivered outbox messages, so it runs wherever the workers do
      DisclosuresModule,
      StatisticsCoreModule,
      ChannelsCoreModule,
    ];
    const http = runtime.serveHttp
      ? [
          HealthModule,
          MetricsModule,
          AgenciesModule,
          UsersModule,
          CatalogueModule,
          ReferralsModule,
          AttachmentsModule,
          WorkflowsModule,
          InterferenceModule,
          StatisticsModule,
          RealtimeModule,
          ChannelsModule,
          QueueDashboardModule,
        ]
      : [];
    return { module: AppModule, imports: [...common, ...http] };
  }
}
