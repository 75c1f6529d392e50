import { defineEntity, p } from '@mikro-orm/core';
import { uuidPrimaryKey } from '../database/columns.js';
import { Agency } from '../agencies/agency.entity.js';
import { Matter, Referral } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/** Evidence and documents on a matter (optionally for one referral). The bytes live in storage. */
export const AttachmentSchema = defineEntity({
  name: 'Attachment',
  tableName: 'attachment',
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    referral: () => p.manyToOne(Referral).ref().nullable(),
    fileName: p.string().length(256),
    /** sniffed from the bytes, never taken from the client */
    contentType: p.string().length(128),
    size: p.integer(),
    sha256: p.string().length(64).index(),
    storageKey: p.string().length(128),
    uploadedBy: () => p.manyToOne(User).ref(),
    agency: () => p.manyToOne(Agency).ref(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Attachment extends AttachmentSchema.class {}
AttachmentSchema.setClass(Attachment);
