import type { ReferralKind } from './catalogue.js';
import { ClockCode } from './legal-clocks.js';
import { ReferralState } from './referral-lifecycle.js';

/**
 * Which legal clocks run on a referral of each kind: the state whose entry starts one, the
 * states that stop it (met or no longer owed), and the state that pauses it. A clock is tied to
 * an event, not to a state: the sign clock starts at delivery, so not signing cannot stop it.
 * Entering `delivered` again (resubmitted, re-routed) starts the delivery clocks afresh.
 */
export interface ReferralClockSpec {
  code: ClockCode;
  startsOn: ReferralState;
  stopsOn: readonly ReferralState[];
  /** township jurisdiction-transfer clocks only run when the receiver is a township */
  receiverMustBeTownship?: boolean;
}

const ENDED: readonly ReferralState[] = [ReferralState.Withdrawn, ReferralState.Escalated, ReferralState.Closed];
const DECIDED: readonly ReferralState[] = [ReferralState.Accepted, ReferralState.Returned, ...ENDED];

export const REFERRAL_CLOCKS: Record<ReferralKind, readonly ReferralClockSpec[]> = {
  jurisdiction_transfer: [
    {
      code: ClockCode.TownshipSign,
      startsOn: ReferralState.Delivered,
      stopsOn: [ReferralState.Signed, ...DECIDED],
      receiverMustBeTownship: true,
    },
    {
      code: ClockCode.TownshipDecide,
      startsOn: ReferralState.Delivered,
      stopsOn: DECIDED,
      receiverMustBeTownship: true,
    },
  ],
  suspected_crime_transfer: [{ code: ClockCode.PoliceDecide, startsOn: ReferralState.Delivered, stopsOn: DECIDED }],
  compulsory_enforcement: [
    { code: ClockCode.CourtAccept, startsOn: ReferralState.Delivered, stopsOn: DECIDED },
    { code: ClockCode.CourtRule, startsOn: ReferralState.Accepted, stopsOn: [ReferralState.Concluded, ...ENDED] },
  ],
  police_assistance: [assistance()],
  approval_files_request: [assistance()],
  supervision_opinion_request: [assistance()],
  supervision_request: [],
  public_interest_pre_review: [],
};

function assistance(): ReferralClockSpec {
  return {
    code: ClockCode.AssistanceReply,
    startsOn: ReferralState.Delivered,
    stopsOn: [ReferralState.Concluded, ReferralState.Returned, ...ENDED],
  };
}

/** A running clock is paused while its referral is on hold (a legally recognised wait). */
export const CLOCK_PAUSES_ON: ReferralState = ReferralState.OnHold;

export const ClockState = {
  Running: 'running',
  Paused: 'paused',
  Overdue: 'overdue',
  Escalated: 'escalated',
  Met: 'met',
  Stopped: 'stopped',
} as const;
export type ClockState = (typeof ClockState)[keyof typeof ClockState];
export const CLOCK_STATES = Object.values(ClockState) as [ClockState, ...ClockState[]];

/** The steps each clock takes by itself, as delayed jobs. */
export const ClockStep = { Warn: 'warn', Overdue: 'overdue', Escalate: 'escalate' } as const;
export type ClockStep = (typeof ClockStep)[keyof typeof ClockStep];
