export * from './agencies.js';
export * from './schemas.js';
export * from './socket-events.js';
export * from './validation.js';
export * from './catalogue.js';
export * from './catalogue.schemas.js';
export * from './referral-lifecycle.js';
export * from './referrals.schemas.js';
