import { defineEntity, p } from '@mikro-orm/core';
import { ESCALATION_TARGETS } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { uuidPrimaryKey } from '../database/columns.js';
import { Matter, Referral } from '../referrals/referral.entity.js';
import { User } from '../users/user.entity.js';

/** 共同约谈: a joint interview with a party that refuses to cooperate or to rectify, and its follow-up. */
export const JointInterviewSchema = defineEntity({
  name: 'JointInterview',
  tableName: 'joint_interview',
  properties: {
    id: uuidPrimaryKey(),
    matter: () => p.manyToOne(Matter).ref().index(),
    organiser: () => p.manyToOne(Agency).ref().index(),
    state: p.string().length(32).index(),
    reason: p.enum(['refuses_cooperation', 'refuses_rectification'] as const),
    partyName: p.string().length(128),
    partyContact: p.string().length(128),
    agenda: p.text(),
    invitedOfficerIds: p.array<string>().columnType('uuid[]').default([]),
    scheduledAt: p.datetime().nullable(),
    place: p.string().length(256).nullable(),
    /** the iCalendar SEQUENCE: bumped at every reschedule so calendars replace the old invitation */
    sequence: p.integer().default(0),
    summary: p.text().nullable(),
    commitments: p.array<string>().default([]),
    rectificationDeadline: p.string().columnType('date').nullable(),
    rectified: p.boolean().nullable(),
    verificationEvidence: p.text().nullable(),
    verificationAttachmentIds: p.array<string>().columnType('uuid[]').default([]),
    escalationTarget: p.enum(ESCALATION_TARGETS).nullable(),
    escalationReferral: () => p.manyToOne(Referral).ref().nullable(),
    escalationEnforcementId: p.uuid().nullable(),
    cancelReason: p.text().nullable(),
    createdBy: () => p.manyToOne(User).ref(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    revision: p.integer().version(),
  },
});
export class JointInterview extends JointInterviewSchema.class {}
JointInterviewSchema.setClass(JointInterview);

/** An agency at an interview: the organiser, or invited (confirmation, attendee, attendance, co-signature). */
export const InterviewParticipantSchema = defineEntity({
  name: 'InterviewParticipant',
  tableName: 'interview_participant',
  uniques: [{ properties: ['interview', 'agency'] }],
  properties: {
    id: uuidPrimaryKey(),
    interview: () => p.manyToOne(JointInterview).ref().index(),
    agency: () => p.manyToOne(Agency).ref(),
    invited: p.boolean(),
    confirmedAt: p.datetime().nullable(),
    attendeeName: p.string().length(64).nullable(),
    attended: p.boolean().nullable(),
    minutesSignedAt: p.datetime().nullable(),
    minutesSignedBy: () => p.manyToOne(User).ref().nullable(),
  },
});
export class InterviewParticipant extends InterviewParticipantSchema.class {}
InterviewParticipantSchema.setClass(InterviewParticipant);
