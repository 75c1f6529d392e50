import { defineEntity, p } from '@mikro-orm/core';

/**
 * The transactional outbox: a state change and the news of it commit together. The relay moves
 * rows into the queue with the row id as job id, so a crash in between loses nothing and a
 * retry delivers nothing twice.
 */
export const OutboxMessageSchema = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox_message',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    topic: p.string().length(64),
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    enqueuedAt: p.datetime().nullable().index(),
    /**
     * When its delivery job finished. A Redis that lost its data (a restart without persistence,
     * a flush) lost the jobs of rows enqueued and not delivered: those are relayed again.
     */
    deliveredAt: p.datetime().nullable(),
  },
});
export class OutboxMessage extends OutboxMessageSchema.class {}
OutboxMessageSchema.setClass(OutboxMessage);

/** A create request's first answer, kept per user and Idempotency-Key, so a retry gets the same. */
export const IdempotentRequestSchema = defineEntity({
  name: 'IdempotentRequest',
  tableName: 'idempotent_request',
  uniques: [{ properties: ['userId', 'key'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    userId: p.uuid(),
    key: p.string().length(128),
    route: p.string().length(128),
    requestHash: p.string().length(64),
    status: p.integer(),
    body: p.json<unknown>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class IdempotentRequest extends IdempotentRequestSchema.class {}
IdempotentRequestSchema.setClass(IdempotentRequest);
