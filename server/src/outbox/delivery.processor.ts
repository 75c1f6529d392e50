import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  rooms,
  SocketEvent,
  type ClockChangedEvent,
  type DisputeOpenedEvent,
  type ReferralChangedEvent,
} from '@xietong/shared';
import { QueueService } from '../queue/queue.service.js';
import { RealtimeBus } from '../realtime/realtime.bus.js';

/**
 * Delivers committed news to the agencies concerned, as socket events to their rooms (through
 * the adapter, so every node's sockets get them). Each event carries its outbox id: a retried
 * job may emit twice, and clients drop an id they have seen.
 */
@Injectable()
export class DeliveryProcessor implements OnModuleInit {
  private readonly logger = new Logger(DeliveryProcessor.name);
  private readonly topics = new Map<string, (payload: Record<string, unknown>) => Promise<void>>();
  private readonly listeners: ((outboxId: number, topic: string, payload: Record<string, unknown>) => Promise<void>)[] =
    [];

  constructor(
    private readonly queues: QueueService,
    private readonly realtime: RealtimeBus,
  ) {}

  onModuleInit(): void {
    this.queues.handle('delivery', 'outbox.deliver', async (job) => {
      const handler = this.topics.get(job.topic);
      if (handler) {
        await handler(job.payload);
        return { handled: true };
      }
      const result = this.deliver(job.outboxId, job.topic, job.payload);
      for (const listener of this.listeners) await listener(job.outboxId, job.topic, job.payload);
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

  deliver(outboxId: number, topic: string, payload: Record<string, unknown>): { delivered: boolean } {
    const io = this.realtime.io;
    if (!io) {
      // A worker-only process has no socket server; with the cross-node emitter this goes away.
      this.logger.warn({ outboxId, topic }, 'no socket server in this process: event not pushed');
      return { delivered: false };
    }
    if (topic === 'referral.changed') {
      const event = { ...(payload as unknown as Omit<ReferralChangedEvent, 'eventId'>), eventId: outboxId };
      const parties = [event.fromAgencyId, event.toAgencyId, ...event.informAgencyIds];
      io.to(parties.map(rooms.agency)).emit(SocketEvent.ReferralChanged, event);
      if (event.state === 'delivered') io.to(rooms.agency(event.toAgencyId)).emit(SocketEvent.ReferralDelivered, event);
    } else if (topic === 'dispute.opened') {
      const event = { ...(payload as unknown as Omit<DisputeOpenedEvent, 'eventId'>), eventId: outboxId };
      io.to([event.guidanceOfficeId, event.agencyAId, event.agencyBId].map(rooms.agency)).emit(
        SocketEvent.DisputeOpened,
        event,
      );
    } else if (topic === 'clock.changed') {
      const event = { ...(payload as unknown as Omit<ClockChangedEvent, 'eventId'>), eventId: outboxId };
      const to = [event.receivingAgencyId, event.sendingAgencyId, ...event.escalateToAgencyIds];
      io.to(to.map(rooms.agency)).emit(SocketEvent.ClockChanged, event);
    } else if (topic === 'disclosure.late') {
      // an in-app notification only (the listeners make it); no socket event of its own
    } else {
      this.logger.warn({ outboxId, topic }, 'unknown outbox topic');
    }
    return { delivered: true };
  }
}
