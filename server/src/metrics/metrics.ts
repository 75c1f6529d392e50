import {
  Controller,
  Get,
  Header,
  Injectable,
  Module,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Policy } from '../common/policy/policy.decorator.js';
import { countStatements, statementsRun, type StatementTally } from '../database/statement-count.js';
import { QueueService } from '../queue/queue.service.js';
import { RealtimeBus } from '../realtime/realtime.bus.js';
import { SocketFloodGuard } from '../realtime/socket-flood.js';

/** Prometheus metrics: HTTP latency, queue depths, connected sockets, process defaults. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpStatements: Histogram<'method' | 'route' | 'status'>;

  constructor(queues: QueueService, bus: RealtimeBus, flood: SocketFloodGuard) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    // Round trips to PostgreSQL per request: the cost of a route that load on the machine does not blur.
    this.httpStatements = new Histogram({
      name: 'http_request_db_statements',
      help: 'SQL statements (BEGIN and COMMIT included) run by one HTTP request',
      labelNames: ['method', 'route', 'status'],
      buckets: [1, 2, 5, 10, 15, 20, 30, 50, 100],
      registers: [this.registry],
    });
    new Counter({
      name: 'db_statements_total',
      help: 'SQL statements run by this process (requests, relay, workers)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(statementsRun());
      },
    });
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const depths = await queues.depths(1_500).catch((): Record<string, Record<string, number>> => ({}));
        for (const [queue, counts] of Object.entries(depths))
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
      },
    });
    new Gauge({
      name: 'socketio_connected_clients',
      help: 'Socket.IO clients connected to this node',
      registers: [this.registry],
      collect() {
        this.set(bus.connectedCount());
      },
    });
    new Counter({
      name: 'socketio_flood_total',
      help: 'Flood protection on this node: events dropped (rate_limited), sockets disconnected for flooding, oldest sockets closed over the per-user cap',
      labelNames: ['action'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ action: 'rate_limited' }, flood.counts.rateLimited);
        this.inc({ action: 'flood_disconnect' }, flood.counts.floodDisconnects);
        this.inc({ action: 'evicted' }, flood.counts.evicted);
      },
    });
  }
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}
  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    const tally: StatementTally = { statements: 0 };
    res.on('finish', () => {
      // Route patterns, not raw paths, keep label cardinality bounded.
      const route = (req.route as { path?: string } | undefined)?.path;
      const labels = {
        method: req.method,
        route: route ? `${req.baseUrl}${route}` : 'unmatched',
        status: String(res.statusCode),
      };
      end(labels);
      this.metrics.httpStatements.observe(labels, tally.statements);
    });
    countStatements(tally, next);
  }
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Policy('public.read')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

@Module({ controllers: [MetricsController], providers: [Metrics, HttpMetricsMiddleware], exports: [Metrics] })
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
