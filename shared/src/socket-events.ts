import type { Me } from './schemas.js';
import type { ClockChangedEvent, DisputeOpenedEvent, ReferralChangedEvent } from './referrals.schemas.js';
import type { WorkflowChangedEvent, WorkflowClockChangedEvent } from './workflows.schemas.js';
import type {
  ChannelChange,
  EditMessagePayload,
  MarkReadPayload,
  MessageAck,
  MessageRefPayload,
  MessageView,
  PresencePayload,
  PresenceState,
  SendMessagePayload,
  SyncPayload,
  SyncResult,
  TypingPayload,
} from './channels.js';

/**
 * The socket event contract: the one event map used by the server (`Server<C2S, S2C>`)
 * and the client (`Socket<S2C, C2S>`). Later issues extend these maps.
 */
export const SocketEvent = {
  /** Server → client, right after a successful handshake. */
  Welcome: 'session.welcome',
  /** Server → client, when the session behind the socket was revoked. */
  SessionRevoked: 'session.revoked',
  /**
   * Server → the sockets of one node: that node fell so far behind the cross-node stream that
   * events may have been trimmed before it read them. Reload from the REST API (the database
   * is the source of truth); live events keep coming on the same socket.
   */
  SessionResync: 'session.resync',
  /** Server → everyone: items' boundaries changed (amendment, import). */
  CatalogueChanged: 'catalogue.changed',
  /** Server → the importing user: how far a catalogue import has got. */
  CatalogueImportProgress: 'catalogue.import.progress',
  /** Server → the parties of a referral: any state change (carries `eventId` for de-duplication). */
  ReferralChanged: 'referral.changed',
  /** Server → the receiving agency: a referral has arrived. */
  ReferralDelivered: 'referral.delivered',
  /** Server → the guidance office and both agencies: a responsibility dispute was opened. */
  DisputeOpened: 'dispute.opened',
  /** Server → the parties (and on escalation the guidance office): a legal clock warned, went overdue or escalated. */
  ClockChanged: 'clock.changed',
  /** Server → the disputing agencies and the guidance office: a dispute changed state or gained a position. */
  DisputeChanged: 'dispute.changed',
  /** Server → the procuratorate and the reviewed agency: a review changed. */
  ReviewChanged: 'review.changed',
  /** Server → the applicant and the court: a compulsory-enforcement application changed. */
  EnforcementChanged: 'enforcement.changed',
  /** Server → the organiser and every invited agency: an interview changed (scheduled, rescheduled …). */
  InterviewChanged: 'interview.changed',
  /** Server → the parties of a workflow: one of its clocks warned, went overdue or escalated. */
  WorkflowClockChanged: 'workflow-clock.changed',
  /** Client → server liveness probe with an ack. */
  Ping: 'session.ping',
  // ---- channels (联络群) ----
  /** Client → server: post a message (client-generated id; acked after commit with its seq). */
  ChannelSend: 'channel.send',
  /** Client → server: edit one's own message (every version is kept). */
  ChannelEdit: 'channel.edit',
  /** Client → server: retract (撤回) one's own message; readers see it retracted, the record keeps it. */
  ChannelRetract: 'channel.retract',
  /** Client → server: my read position in a channel. */
  ChannelRead: 'channel.read',
  /** Client → server: acknowledge a message that requires acknowledgement (需确认). */
  ChannelAcknowledge: 'channel.acknowledge',
  /** Client → server: the sender stops asking for acknowledgements. */
  ChannelCloseAck: 'channel.ack.close',
  /** Client → server: every change after my cursors, per channel; joins their rooms. */
  ChannelSync: 'channel.sync',
  /** Both ways: someone is typing (ephemeral, throttled, never stored). */
  ChannelTyping: 'channel.typing',
  /** Server → members: one change in a channel's change stream (carries `changeSeq`). */
  ChannelChange: 'channel.change',
  /** Client → server: set my presence (online / away). */
  PresenceSet: 'presence.set',
  /** Server → channel co-members: someone's presence changed. */
  PresenceChanged: 'presence.changed',
} as const;

/** Every ack carries either `ok: true` with data, or an error naming the field(s). */
export type SocketAck<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; details?: { field: string; message: string }[] } };

export interface ServerToClientEvents {
  [SocketEvent.Welcome]: (payload: { user: Me; serverTime: string }) => void;
  [SocketEvent.SessionRevoked]: (payload: { reason: string }) => void;
  [SocketEvent.SessionResync]: (payload: SessionResyncEvent) => void;
  [SocketEvent.CatalogueChanged]: (payload: { codes: string[] }) => void;
  [SocketEvent.CatalogueImportProgress]: (payload: CatalogueImportProgress) => void;
  [SocketEvent.ReferralChanged]: (payload: ReferralChangedEvent) => void;
  [SocketEvent.ReferralDelivered]: (payload: ReferralChangedEvent) => void;
  [SocketEvent.DisputeOpened]: (payload: DisputeOpenedEvent) => void;
  [SocketEvent.ClockChanged]: (payload: ClockChangedEvent) => void;
  [SocketEvent.DisputeChanged]: (payload: WorkflowChangedEvent) => void;
  [SocketEvent.ReviewChanged]: (payload: WorkflowChangedEvent) => void;
  [SocketEvent.EnforcementChanged]: (payload: WorkflowChangedEvent) => void;
  [SocketEvent.InterviewChanged]: (payload: WorkflowChangedEvent) => void;
  [SocketEvent.WorkflowClockChanged]: (payload: WorkflowClockChangedEvent) => void;
  [SocketEvent.ChannelChange]: (payload: ChannelChange) => void;
  [SocketEvent.ChannelTyping]: (payload: { channelId: string; userId: string; displayName: string }) => void;
  [SocketEvent.PresenceChanged]: (payload: { userId: string; state: PresenceState }) => void;
}

/** Why a client must reload its state from the database. */
export interface SessionResyncEvent {
  /** `stream_trimmed`: the node missed cross-node events (Redis trimmed them before it read them). */
  reason: 'stream_trimmed';
}

/** A server→client event name, and the one payload it carries. */
export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

export interface CatalogueImportProgress {
  importId: string;
  phase: 'checking' | 'writing' | 'done';
  done: number;
  total: number;
}

export interface ClientToServerEvents {
  [SocketEvent.Ping]: (payload: unknown, ack: (res: SocketAck<{ serverTime: string }>) => void) => void;
  [SocketEvent.ChannelSend]: (payload: SendMessagePayload, ack: (res: SocketAck<MessageAck>) => void) => void;
  [SocketEvent.ChannelEdit]: (payload: EditMessagePayload, ack: (res: SocketAck<MessageView>) => void) => void;
  [SocketEvent.ChannelRetract]: (payload: MessageRefPayload, ack: (res: SocketAck<MessageView>) => void) => void;
  [SocketEvent.ChannelRead]: (payload: MarkReadPayload, ack: (res: SocketAck<{ readSeq: number }>) => void) => void;
  [SocketEvent.ChannelAcknowledge]: (
    payload: MessageRefPayload,
    ack: (res: SocketAck<{ ackedAt: string }>) => void,
  ) => void;
  [SocketEvent.ChannelCloseAck]: (payload: MessageRefPayload, ack: (res: SocketAck<MessageView>) => void) => void;
  [SocketEvent.ChannelSync]: (payload: SyncPayload, ack: (res: SocketAck<SyncResult>) => void) => void;
  [SocketEvent.ChannelTyping]: (payload: TypingPayload, ack?: (res: SocketAck<{ sent: boolean }>) => void) => void;
  [SocketEvent.PresenceSet]: (
    payload: PresencePayload,
    ack?: (res: SocketAck<{ state: PresenceState }>) => void,
  ) => void;
}

/** Error codes of socket acks that a client acts on (others carry the HTTP status name). */
export const SocketErrorCode = {
  /** The socket sent more events than its limit: this one was dropped; slow down and retry. */
  RateLimited: 'RATE_LIMITED',
} as const;

/** The ack of an event the server dropped for flooding. */
export const RATE_LIMITED_ACK = {
  ok: false,
  error: { code: SocketErrorCode.RateLimited, message: '操作过于频繁，请稍后再试' },
} as const satisfies SocketAck<never>;

/** Per-socket data the server keeps (never sent to the client). */
export type InterServerEvents = Record<string, never>;

/** Handshake error messages the server uses to refuse a connection. */
export const HandshakeError = {
  MissingToken: 'unauthorized: missing token',
  InvalidToken: 'unauthorized: invalid or expired token',
} as const;

/** Room names, so server and worker address the same rooms. */
export const rooms = {
  user: (id: string) => `user:${id}`,
  agency: (id: string) => `agency:${id}`,
  channel: (id: string) => `channel:${id}`,
  session: (id: string) => `session:${id}`,
};
