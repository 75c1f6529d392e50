import { defineEntity, p } from '@mikro-orm/core';
import { CHANNEL_KINDS } from '@xietong/shared';
import { uuidPrimaryKey } from '../database/columns.js';
import { Agency } from '../agencies/agency.entity.js';
import { Matter } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/**
 * A channel (群). Its row is also the per-channel counter: `lastSeq` (messages) and
 * `lastChangeSeq` (every change) are incremented under the row lock of the transaction that
 * writes the message or change, so numbers are gap-free and ordered by commit, across nodes.
 */
export const ChannelSchema = defineEntity({
  name: 'Channel',
  tableName: 'channel',
  properties: {
    id: uuidPrimaryKey(),
    kind: p.enum(CHANNEL_KINDS).nativeEnumName('channel_kind'),
    title: p.string().length(128),
    topic: p.text().nullable(),
    /** matter channels: one per matter; members are the matter's agencies */
    matter: () => p.manyToOne(Matter).ref().nullable().unique(),
    /** direct channels: the two user ids, sorted, so a pair has one channel */
    directKey: p.string().length(80).nullable().unique(),
    createdBy: () => p.manyToOne(User).ref().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    archivedAt: p.datetime().nullable(),
    archivedBy: () => p.manyToOne(User).ref().nullable(),
    lastSeq: p.integer().default(0),
    lastChangeSeq: p.integer().default(0),
  },
});
export class Channel extends ChannelSchema.class {}
ChannelSchema.setClass(Channel);

/** A member by agency (liaison) or by name (joint meeting, direct). Removal ends the row, never deletes it. */
export const ChannelMemberSchema = defineEntity({
  name: 'ChannelMember',
  tableName: 'channel_member',
  properties: {
    id: uuidPrimaryKey(),
    channel: () => p.manyToOne(Channel).ref().index(),
    user: () => p.manyToOne(User).ref().nullable().index(),
    agency: () => p.manyToOne(Agency).ref().nullable().index(),
    addedBy: () => p.manyToOne(User).ref().nullable(),
    addedAt: p.datetime().onCreate(() => new Date()),
    removedAt: p.datetime().nullable(),
    removedBy: () => p.manyToOne(User).ref().nullable(),
  },
});
export class ChannelMember extends ChannelMemberSchema.class {}
ChannelMemberSchema.setClass(ChannelMember);

/** A message. `body` is the current text; every version (the first included) is in ChannelMessageVersion. */
export const ChannelMessageSchema = defineEntity({
  name: 'ChannelMessage',
  tableName: 'channel_message',
  uniques: [{ properties: ['channel', 'seq'] }, { properties: ['sender', 'clientId'] }],
  properties: {
    id: uuidPrimaryKey(),
    channel: () => p.manyToOne(Channel).ref(),
    seq: p.integer(),
    /** the sender's own id for the message: a resend with it stores nothing new */
    clientId: p.uuid().nullable(),
    kind: p.enum(['user', 'system'] as const),
    sender: () => p.manyToOne(User).ref().nullable(),
    body: p.text(),
    replyTo: p.uuid().nullable(),
    mentionUserIds: p.array<string>().columnType('uuid[]').default([]),
    mentionAgencyIds: p.array<string>().columnType('uuid[]').default([]),
    attachmentIds: p.array<string>().columnType('uuid[]').default([]),
    requiresAck: p.boolean().default(false),
    ackClosedAt: p.datetime().nullable(),
    version: p.integer().default(1),
    editedAt: p.datetime().nullable(),
    retractedAt: p.datetime().nullable(),
    retractedBy: () => p.manyToOne(User).ref().nullable(),
    /** structured content of a system message (referral state change …) */
    system: p.json<Record<string, unknown>>().nullable(),
    /** what posted a system message (e.g. `outbox-42`): posting it twice adds nothing */
    sourceKey: p.string().length(64).nullable().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class ChannelMessage extends ChannelMessageSchema.class {}
ChannelMessageSchema.setClass(ChannelMessage);

/** Every version of a message's text, the original included: edits never overwrite the record. */
export const ChannelMessageVersionSchema = defineEntity({
  name: 'ChannelMessageVersion',
  tableName: 'channel_message_version',
  uniques: [{ properties: ['message', 'version'] }],
  properties: {
    id: uuidPrimaryKey(),
    message: () => p.manyToOne(ChannelMessage).ref(),
    version: p.integer(),
    body: p.text(),
    mentionUserIds: p.array<string>().columnType('uuid[]').default([]),
    mentionAgencyIds: p.array<string>().columnType('uuid[]').default([]),
    editedBy: () => p.manyToOne(User).ref().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class ChannelMessageVersion extends ChannelMessageVersionSchema.class {}
ChannelMessageVersionSchema.setClass(ChannelMessageVersion);

/** The channel's change stream: one row per change, numbered by `changeSeq`; catch-up reads it. */
export const ChannelChangeSchema = defineEntity({
  name: 'ChannelChangeRecord',
  tableName: 'channel_change',
  uniques: [{ properties: ['channel', 'changeSeq'] }],
  properties: {
    id: uuidPrimaryKey(),
    channel: () => p.manyToOne(Channel).ref(),
    changeSeq: p.integer(),
    type: p.string().length(32),
    message: () => p.manyToOne(ChannelMessage).ref().nullable().index(),
    user: () => p.manyToOne(User).ref().nullable(),
    data: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class ChannelChangeRecord extends ChannelChangeSchema.class {}
ChannelChangeSchema.setClass(ChannelChangeRecord);

/** A member's read position in a channel (messages up to `seq` read). */
export const ChannelReadSchema = defineEntity({
  name: 'ChannelRead',
  tableName: 'channel_read',
  uniques: [{ properties: ['channel', 'user'] }],
  properties: {
    id: uuidPrimaryKey(),
    channel: () => p.manyToOne(Channel).ref(),
    user: () => p.manyToOne(User).ref().index(),
    seq: p.integer().default(0),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class ChannelRead extends ChannelReadSchema.class {}
ChannelReadSchema.setClass(ChannelRead);

/** One recipient of a message that requires acknowledgement (需确认), and when they acknowledged. */
export const ChannelAckSchema = defineEntity({
  name: 'ChannelAck',
  tableName: 'channel_ack',
  uniques: [{ properties: ['message', 'user'] }],
  properties: {
    id: uuidPrimaryKey(),
    message: () => p.manyToOne(ChannelMessage).ref(),
    user: () => p.manyToOne(User).ref().index(),
    ackedAt: p.datetime().nullable(),
    reminders: p.integer().default(0),
  },
});
export class ChannelAck extends ChannelAckSchema.class {}
ChannelAckSchema.setClass(ChannelAck);
