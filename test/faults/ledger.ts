/**
 * What the load did and what every client saw, as plain records: the checker compares them with
 * the database once the run is over. Every record carries the fault that was running when it
 * happened (`phase`), so the report can give each fault its own counts.
 */
export type HttpStatus = number | 'refused' | 'reset' | 'hang';

export interface HttpOutcome {
  at: number;
  phase: string;
  node: number;
  route: string;
  status: HttpStatus;
  ms: number;
  /** the body of a 5xx answer, kept to judge whether it is clear and leaks nothing */
  body?: string;
}

export interface SentReferral {
  referralId: string;
  matterId: string;
  phase: string;
  sentAt: number;
  ackAt: number;
  /** attempts it took (a retry reuses the Idempotency-Key) */
  attempts: number;
}

export interface SentMessage {
  messageId: string;
  clientId: string;
  channelId: string;
  sender: string;
  phase: string;
  sentAt: number;
  ackAt: number;
  attempts: number;
}

/** One client (a person's app): its connections, and every event it was pushed or caught up on. */
export interface ClientRecord {
  name: string;
  username: string;
  /** connections in order: node, when they opened, when they closed */
  connections: { node: number; from: number; to?: number; reason?: string }[];
  /** message ids pushed live (message.created), with how many times each arrived */
  liveMessages: Map<string, number>;
  /** message ids fetched by `channel.sync` after a reconnect */
  syncedMessages: Set<string>;
  /** referral ids pushed live (referral.delivered), with how many times */
  liveReferrals: Map<string, number>;
  /** referral ids read from the inbox after a reconnect */
  caughtUpReferrals: Set<string>;
  /** live messages of one sender that arrived out of their order on one connection */
  outOfOrder: { channelId: string; after: number; got: number }[];
  /** live changes that came after a later change of another sender (reported, allowed) */
  interleaved: number;
  /** the client takes part in referral delivery (a member of the receiving agency) */
  receivesReferrals: boolean;
  /** the client is a member of the load's channel */
  receivesMessages: boolean;
}

/** A channel send that was not acknowledged (and was tried again): an error ack, or none in time. */
export interface SendFailure {
  at: number;
  phase: string;
  client: string;
  /** the error code of the ack, `no-ack` (nothing within `hangMs`) or `offline` (not connected) */
  reason: string;
}

export class Ledger {
  phase = 'warm-up';
  readonly http: HttpOutcome[] = [];
  readonly sendFailures: SendFailure[] = [];
  readonly referrals: SentReferral[] = [];
  readonly messages: SentMessage[] = [];
  readonly clients: ClientRecord[] = [];
  /** each phase's time span */
  readonly phases: { name: string; from: number; to?: number }[] = [{ name: 'warm-up', from: Date.now() }];

  enter(phase: string): void {
    const now = Date.now();
    const last = this.phases.at(-1);
    if (last && last.to === undefined) last.to = now;
    this.phase = phase;
    this.phases.push({ name: phase, from: now });
  }

  newClient(name: string, username: string, receives: { referrals: boolean; messages: boolean }): ClientRecord {
    const c: ClientRecord = {
      name,
      username,
      connections: [],
      liveMessages: new Map(),
      syncedMessages: new Set(),
      liveReferrals: new Map(),
      caughtUpReferrals: new Set(),
      outOfOrder: [],
      interleaved: 0,
      receivesReferrals: receives.referrals,
      receivesMessages: receives.messages,
    };
    this.clients.push(c);
    return c;
  }
}
