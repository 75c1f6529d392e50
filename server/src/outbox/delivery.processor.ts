import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  rooms,
  SocketEvent,
  type ClockChangedEvent,
  type DisputeOpenedEvent,
  type ReferralChangedEvent,
  type WorkflowChangedEvent,
  type WorkflowClockChangedEvent,
} from '@xietong/shared';
import { MicroBatch } from '../database/micro-batch.js';
import { QueueService } from '../queue/queue.service.js';
import { RealtimeBus } from '../realtime/realtime.bus.js';
import { WORKFLOW_TOPICS, type WorkflowTopic } from './outbox.service.js';

/**
 * Delivers committed news to the agencies concerned, as socket events to their rooms through
 * the RealtimeBus, so every node's sockets get them whether this runs in an API node or in a
 * worker process. Each event carries its outbox id: a retried job may emit twice, and clients
 * drop an id they have seen.
 */
@Injectable()
export class DeliveryProcessor implements OnModuleInit {
  private readonly logger = new Logger(DeliveryProcessor.name);
  private readonly topics = new Map<string, (payload: Record<string, unknown>) => Promise<void>>();
  private readonly listeners: ((outboxId: number, topic: string, payload: Record<string, unknown>) => Promise<void>)[] =
    [];

  /** Delivered rows are marked many at a time, in one statement. */
  private readonly marks = new MicroBatch<number, undefined>(
    async (ids) => {
      await this.em
        .getConnection()
        .execute(
          'update outbox_message set delivered_at = now() where id = any(?::bigint[]) and delivered_at is null',
          [`{${ids.filter(Number.isSafeInteger).join(',')}}`],
        );
      return ids.map(() => undefined);
    },
    { max: 500, alone: false },
  );

  constructor(
    private readonly queues: QueueService,
    private readonly realtime: RealtimeBus,
    private readonly em: EntityManager,
  ) {}

  onModuleInit(): void {
    this.queues.handle('delivery', 'outbox.deliver', async (job) => {
      const handler = this.topics.get(job.topic);
      let result: Record<string, boolean>;
      if (handler) {
        await handler(job.payload);
        result = { handled: true };
      } else {
        result = await this.deliver(job.outboxId, job.topic, job.payload);
        for (const listener of this.listeners) await listener(job.outboxId, job.topic, job.payload);
      }
      // Done: a rebuild after Redis lost its data relays only rows not marked here.
      await this.marks.add(job.outboxId);
      return result;
    });
  }

  /** Lets another capability follow up every delivered message (in-app notifications, webhooks). */
  onDelivered(listener: (outboxId: number, topic: string, payload: Record<string, unknown>) => Promise<void>): void {
    this.listeners.push(listener);
  }

  /** Lets another capability act on an outbox topic of its own (e.g. queueing clock steps). */
  registerTopic(topic: string, handler: (payload: Record<string, unknown>) => Promise<void>): void {
    this.topics.set(topic, handler);
  }

  /** Pushes one committed outbox row to its rooms on every node (from an API or a worker process alike). */
  async deliver(outboxId: number, topic: string, payload: Record<string, unknown>): Promise<{ delivered: boolean }> {
    if (topic === 'referral.changed') {
      const event = { ...(payload as unknown as Omit<ReferralChangedEvent, 'eventId'>), eventId: outboxId };
      const parties = [event.fromAgencyId, event.toAgencyId, ...event.informAgencyIds];
      await this.realtime.emit(parties.map(rooms.agency), SocketEvent.ReferralChanged, event);
      if (event.state === 'delivered')
        await this.realtime.emit(rooms.agency(event.toAgencyId), SocketEvent.ReferralDelivered, event);
    } else if (topic === 'dispute.opened') {
      const event = { ...(payload as unknown as Omit<DisputeOpenedEvent, 'eventId'>), eventId: outboxId };
      const to = [event.guidanceOfficeId, event.agencyAId, event.agencyBId].map(rooms.agency);
      await this.realtime.emit(to, SocketEvent.DisputeOpened, event);
    } else if (topic === 'clock.changed') {
      const event = { ...(payload as unknown as Omit<ClockChangedEvent, 'eventId'>), eventId: outboxId };
      const to = [event.receivingAgencyId, event.sendingAgencyId, ...event.escalateToAgencyIds].map(rooms.agency);
      await this.realtime.emit(to, SocketEvent.ClockChanged, event);
    } else if ((WORKFLOW_TOPICS as readonly string[]).includes(topic) || topic === 'workflow-clock.changed') {
      // The socket event has the topic's name; the payload names who is told.
      const event = {
        ...(payload as unknown as Omit<WorkflowChangedEvent & WorkflowClockChangedEvent, 'eventId'>),
        eventId: outboxId,
      };
      await this.realtime.emit(
        event.agencyIds.map(rooms.agency),
        topic as WorkflowTopic | 'workflow-clock.changed',
        event,
      );
    } else if (topic === 'disclosure.late') {
      // an in-app notification only (the listeners make it); no socket event of its own
    } else {
      this.logger.warn({ outboxId, topic }, 'unknown outbox topic');
      return { delivered: false };
    }
    return { delivered: true };
  }
}
