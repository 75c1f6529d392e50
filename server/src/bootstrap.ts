import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { AppModule, type AppRuntime } from './app.module.js';
import { AllExceptionsFilter } from './common/exception.filter.js';
import { webApp } from './common/web-app.js';
import { loadConfig, type AppConfig } from './config/config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { assertRedisKeepsKeys } from './queue/queue-backend.js';
import { AppIoAdapter } from './realtime/io.adapter.js';
import { reapSilentConnections } from './realtime/silent-connections.js';

export interface Database {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL when given; otherwise the embedded PostgreSQL under .data/. */
export async function resolveDatabase(config: AppConfig, log: (msg: string) => void): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  const db: EmbeddedDatabase = await startEmbeddedPostgres(config.embeddedPg.dir, config.embeddedPg.port, log);
  return { url: db.url, embedded: true, stop: () => db.stop() };
}

export function runtimeFor(config: AppConfig, databaseUrl: string, role: AppConfig['processRole']): AppRuntime {
  return {
    config,
    databaseUrl,
    queue: {
      ...(config.redisUrl ? { kind: 'redis', url: config.redisUrl } : { kind: 'postgres', url: databaseUrl }),
      namespace: config.queuePrefix,
      lockMs: config.queueLockMs,
      workerName: config.nodeId,
    },
    runWorkers: role !== 'api',
    serveHttp: role !== 'worker',
  };
}

export interface RunningServer {
  app: INestApplication;
  url: string;
  port: number;
  database: Database;
  close(): Promise<void>;
}

/** Boots the HTTP + Socket.IO process (with in-process workers unless PROCESS_ROLE=api). */
export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadConfig(env);
  if (config.processRole === 'worker') throw new Error('PROCESS_ROLE=worker: start worker.js instead');
  const boot = pino({ level: config.logLevel, name: 'boot' });
  if (!config.redisUrl && config.processRole === 'api') {
    throw new Error(
      'PROCESS_ROLE=api needs REDIS_URL: without Redis the product runs as one process (PROCESS_ROLE=all)',
    );
  }
  if (config.redisUrl) await assertRedisKeepsKeys(config.redisUrl);
  const database = await resolveDatabase(config, (m) => boot.info(m));
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot(runtimeFor(config, database.url, config.processRole)),
      {
        bufferLogs: true,
        bodyParser: false,
        abortOnError: false,
      },
    );
    configureHttp(app, config);
    app.enableShutdownHooks();
    await app.listen(config.port, config.host);
  } catch (e) {
    await app?.close().catch(() => undefined);
    await database.stop().catch(() => undefined);
    throw e;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}`;
  app
    .get(Logger)
    .log(`serving on ${url} (queues on ${config.redisUrl ? 'Redis' : 'PostgreSQL'}; API docs at ${url}/api/docs)`);
  const started = app;
  return {
    app: started,
    url,
    port,
    database,
    close: async () => {
      await started.close();
      await database.stop();
    },
  };
}

function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  // Behind nginx on another host (compose), its address must be trusted for req.ip to be the client's.
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The API docs and queue dashboard pages use inline styles/scripts of their own.
          'script-src': ["'self'", "'unsafe-inline'"],
          'style-src': ["'self'", "'unsafe-inline'", 'https:'],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
        },
      },
    }),
  );
  app.use(cookieParser());
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.enableCors({ origin: config.corsOrigins, credentials: true });
  app.setGlobalPrefix('api', { exclude: ['metrics', 'admin/queues', 'admin/queues/{*path}'] });
  app.useGlobalFilters(new AllExceptionsFilter());
  // With Redis, sockets of every node share rooms through the Redis Streams adapter (REDIS_URL's
  // maxmemory-policy was checked at boot: an evicting Redis would drop the stream too).
  const crossNode = config.redisUrl
    ? { url: config.redisUrl, prefix: config.queuePrefix, maxLen: config.socketStreamMaxLen }
    : undefined;
  app.useWebSocketAdapter(new AppIoAdapter(app, config.corsOrigins, config.sockets, crossNode));
  reapSilentConnections(app.getHttpServer(), config.sockets.handshakeTimeoutMs);
  for (const handler of webApp(config.clientDist)) app.use(handler);

  const doc = new DocumentBuilder()
    .setTitle('县域多部门执法协同平台 API')
    .setDescription(
      'Coordination platform for county enforcement agencies. Every error has the shape `{ statusCode, error, message, details? }`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'api/docs-json',
    useGlobalPrefix: false,
  });
}

/** Boots a worker-only process: no HTTP, no sockets; queue workers on the configured backend. */
export async function startWorker(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ app: INestApplicationContext; close(): Promise<void> }> {
  const config = loadConfig(env);
  if (!config.redisUrl)
    throw new Error('A separate worker process needs REDIS_URL; without Redis, `npm start` runs workers in-process.');
  await assertRedisKeepsKeys(config.redisUrl);
  const database = await resolveDatabase(config, () => undefined);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(runtimeFor(config, database.url, 'worker')),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return {
    app,
    close: async () => {
      await app.close();
      await database.stop();
    },
  };
}
