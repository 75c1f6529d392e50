import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';

/** The primary key every entity with a surrogate key uses: a UUID made by the application. */
export const uuidPrimaryKey = () =>
  p
    .uuid()
    .primary()
    .onCreate(() => randomUUID());
