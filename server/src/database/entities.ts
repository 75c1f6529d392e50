import { Agency } from '../agencies/agency.entity.js';
import { AuthSession, RefreshToken } from '../auth/session.entity.js';
import { Attachment } from '../attachments/attachment.entity.js';
import {
  Channel,
  ChannelAck,
  ChannelChangeRecord,
  ChannelMember,
  ChannelMessage,
  ChannelMessageVersion,
  ChannelRead,
} from '../channels/channel.entity.js';
import { BoundaryVersionRecord, EnforcementItem } from '../catalogue/catalogue.entity.js';
import { ClockSetting, HolidayArrangement, ReferralClock } from '../clocks/clock.entity.js';
import { Notification, WebhookDelivery, WebhookSubscription } from '../notifications/notification.entity.js';
import { IdempotentRequest, OutboxMessage } from '../outbox/outbox.entity.js';
import { Matter, MatterAgency, Referral, ResponsibilityDispute, TimelineEntry } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity, listed once: discovery is explicit (no folder scanning, no reflection). */
export const ENTITIES = [
  Agency,
  User,
  AuthSession,
  RefreshToken,
  EnforcementItem,
  BoundaryVersionRecord,
  Matter,
  MatterAgency,
  Referral,
  TimelineEntry,
  ResponsibilityDispute,
  OutboxMessage,
  IdempotentRequest,
  ReferralClock,
  HolidayArrangement,
  ClockSetting,
  Attachment,
  Notification,
  WebhookSubscription,
  WebhookDelivery,
  Channel,
  ChannelMember,
  ChannelMessage,
  ChannelMessageVersion,
  ChannelChangeRecord,
  ChannelRead,
  ChannelAck,
];
