import { Agency } from '../agencies/agency.entity.js';
import { AuditEntry, AuditPending } from '../audit/audit.entity.js';
import { Disclosure } from '../disclosures/disclosure.entity.js';
import { InterferenceRecord } from '../interference/interference.entity.js';
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
import { WorkflowClock } from '../clocks/workflow-clock.entity.js';
import { DisputePosition } from '../disputes/dispute.entity.js';
import { ProcuratorateReview } from '../reviews/review.entity.js';
import { EnforcementApplication } from '../enforcement/enforcement.entity.js';
import { InterviewParticipant, JointInterview } from '../interviews/interview.entity.js';
import { SystemMarker } from './system-marker.entity.js';

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
  WorkflowClock,
  DisputePosition,
  ProcuratorateReview,
  EnforcementApplication,
  JointInterview,
  InterviewParticipant,
  AuditEntry,
  AuditPending,
  InterferenceRecord,
  Disclosure,
  SystemMarker,
  Channel,
  ChannelMember,
  ChannelMessage,
  ChannelMessageVersion,
  ChannelChangeRecord,
  ChannelRead,
  ChannelAck,
];
