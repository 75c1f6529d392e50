import { defineEntity, p } from '@mikro-orm/core';
import { uuidPrimaryKey } from '../database/columns.js';
import type { Role } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';

export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: uuidPrimaryKey(),
    username: p.string().length(64).unique(),
    displayName: p.string().length(64),
    passwordHash: p.string().length(256).hidden().lazy(),
    agency: () => p.manyToOne(Agency).ref().index(),
    roles: p.array<Role>().columnType('text[]'),
    active: p.boolean().default(true),
    /** Consecutive wrong passwords; reset on success. */
    failedLogins: p.integer().default(0),
    lockedUntil: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class User extends UserSchema.class {}
UserSchema.setClass(User);
