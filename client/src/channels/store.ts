import type { QueryClient } from '@tanstack/react-query';
import {
  SocketErrorCode,
  SocketEvent,
  type ChannelChange,
  type ClientToServerEvents,
  type MessageView,
  type PresenceState,
  type SendMessagePayload,
  type SocketAck,
} from '@xietong/shared';
import { api, keys } from '../app/api.js';
import type { AppSocket } from '../app/realtime.js';

/** A message typed here and not yet acknowledged by the server: resent with the same clientId until it is. */
export interface Pending {
  payload: SendMessagePayload;
  error?: string;
}

interface Conversation {
  /** the last change applied (the sync cursor) */
  cursor: number;
  messages: Map<number, MessageView>;
  /** lowest seq loaded: older edits are ignored, scrolling up loads them as they stand */
  low: number;
  hasOlder: boolean;
  readSent: number;
}

const ACK_TIMEOUT_MS = 10_000;
const RATE_LIMIT_RETRIES = 20;
const RATE_LIMIT_BACKOFF_MS = 250;
const TYPING_SHOWN_MS = 3_000;

type Ack<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends
  ((res: infer R) => void) | undefined
  ? R
  : never;

/** A failed ack's message, or the data. */
function unwrap<T>(res: SocketAck<T>): T {
  if (!res.ok) throw new Error(res.error.details?.[0]?.message ?? res.error.message);
  return res.data;
}

/**
 * The open conversations, kept in step with the server's per-channel change stream: history from
 * REST, live `channel.change` applied in `changeSeq` order (a gap asks `channel.sync` from the
 * cursor), and after every reconnect a sync from each cursor, so missed messages, edits and
 * retractions appear without a reload. Unsent messages survive a network cut.
 */
export class ChannelStore {
  private readonly open = new Map<string, Conversation>();
  private readonly syncing = new Set<string>();
  private readonly again = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly typists = new Map<string, Map<string, { name: string; until: number }>>();
  private readonly presence = new Map<string, PresenceState>();
  /** Users whose presence came live while a channel's snapshot was on its way: the event is newer. */
  private readonly presenceLive = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private lastTyping = 0;
  version = 0;

  constructor(
    private readonly socket: AppSocket,
    private readonly qc: QueryClient,
  ) {
    let connectedBefore = false;
    socket.on('connect', () => {
      if (connectedBefore) void this.syncAll();
      connectedBefore = true;
      this.resend();
    });
    socket.on(SocketEvent.ChannelChange, (c) => this.live(c));
    socket.on(SocketEvent.ChannelTyping, (e) => {
      const map = this.typists.get(e.channelId) ?? new Map<string, { name: string; until: number }>();
      map.set(e.userId, { name: e.displayName, until: Date.now() + TYPING_SHOWN_MS });
      if (!this.presence.has(e.userId)) this.presence.set(e.userId, 'online');
      this.typists.set(e.channelId, map);
      this.emit();
      setTimeout(() => this.emit(), TYPING_SHOWN_MS + 50);
    });
    // A hidden tab is away; co-members see the dot change.
    document.addEventListener('visibilitychange', this.onVisibility);
    socket.on(SocketEvent.PresenceChanged, (e) => {
      this.presence.set(e.userId, e.state);
      this.presenceLive.add(e.userId);
      this.emit();
    });
  }

  private readonly onVisibility = (): void => {
    if (!this.socket.connected) return;
    this.socket.emit(SocketEvent.PresenceSet, { state: document.visibilityState === 'hidden' ? 'away' : 'online' });
  };

  close(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  snapshot = (): number => this.version;

  private emit(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  // ---- reading ----

  messages(channelId: string): MessageView[] {
    const c = this.open.get(channelId);
    return c ? [...c.messages.values()].sort((a, b) => a.seq - b.seq) : [];
  }

  message(channelId: string, id: string): MessageView | undefined {
    return this.messages(channelId).find((m) => m.id === id);
  }

  loaded(channelId: string): boolean {
    return this.open.has(channelId);
  }

  hasOlder(channelId: string): boolean {
    return this.open.get(channelId)?.hasOlder ?? false;
  }

  unsent(channelId: string): Pending[] {
    return [...this.pending.values()].filter((p) => p.payload.channelId === channelId);
  }

  typing(channelId: string): string[] {
    const now = Date.now();
    return [...(this.typists.get(channelId)?.values() ?? [])].filter((t) => t.until > now).map((t) => t.name);
  }

  presenceOf(userId: string): PresenceState {
    return this.presence.get(userId) ?? 'offline';
  }

  // ---- loading ----

  /** Opens a conversation: the cursor first, then the newest page, so nothing falls between them. */
  async load(channelId: string): Promise<void> {
    if (this.open.has(channelId)) return;
    this.presenceLive.clear();
    const view = await api.channel(channelId);
    for (const [userId, state] of Object.entries(view.presence ?? {})) {
      if (!this.presenceLive.has(userId)) this.presence.set(userId, state);
    }
    const page = await api.history(channelId, undefined);
    const conv: Conversation = {
      cursor: view.lastChangeSeq,
      messages: new Map(),
      low: Number.MAX_SAFE_INTEGER,
      hasOlder: page.hasMore,
      readSent: view.readSeq,
    };
    for (const m of page.messages) conv.messages.set(m.seq, m);
    conv.low = page.messages.reduce((low, m) => Math.min(low, m.seq), view.lastSeq + 1);
    // Live changes that raced the page were dropped (no conversation yet): a sync replays them.
    this.open.set(channelId, conv);
    this.emit();
    await this.sync(channelId);
  }

  async older(channelId: string): Promise<void> {
    const c = this.open.get(channelId);
    if (!c?.hasOlder) return;
    const page = await api.history(channelId, c.low);
    for (const m of page.messages) {
      if (!c.messages.has(m.seq)) c.messages.set(m.seq, m);
      c.low = Math.min(c.low, m.seq);
    }
    c.hasOlder = page.hasMore;
    this.emit();
  }

  // ---- the change stream ----

  private live(change: ChannelChange): void {
    // Sends are socket-only: a live new message means its sender is connected, even if this page
    // connected after their presence last changed (the server sends changes, not a snapshot).
    const sender = change.type === 'message.created' ? change.message?.sender?.id : undefined;
    if (sender && !this.presence.has(sender)) this.presence.set(sender, 'online');
    const c = this.open.get(change.channelId);
    this.sideEffects(change);
    if (!c) return;
    if (change.changeSeq <= c.cursor) return;
    if (change.changeSeq > c.cursor + 1 || this.syncing.has(change.channelId)) {
      void this.sync(change.channelId);
      return;
    }
    this.apply(c, change);
    this.emit();
  }

  private apply(c: Conversation, change: ChannelChange): void {
    c.cursor = change.changeSeq;
    const m = change.message;
    if (!m) return;
    if (m.seq < c.low) return;
    const had = c.messages.get(m.seq);
    if (!had || had.version <= m.version || m.retracted || m.ackClosed) c.messages.set(m.seq, m);
    if (m.clientId) this.pending.delete(m.clientId);
  }

  /** What a change means outside the conversation: badges, receipts, membership. */
  private sideEffects(change: ChannelChange): void {
    if (change.type === 'message.ack' || change.type === 'message.ack_closed') {
      if (change.message) void this.qc.invalidateQueries({ queryKey: keys.readers(change.message.id) });
    }
    if (change.type === 'read') void this.qc.invalidateQueries({ queryKey: ['readers'] });
    void this.qc.invalidateQueries({ queryKey: keys.channels });
  }

  /** Every change after the cursor, page by page; one sync at a time per channel. */
  async sync(channelId: string): Promise<void> {
    if (this.syncing.has(channelId)) {
      this.again.add(channelId);
      return;
    }
    this.syncing.add(channelId);
    try {
      for (;;) {
        const c = this.open.get(channelId);
        if (!c || !this.socket.connected) return;
        const res = unwrap(await this.request(SocketEvent.ChannelSync, { cursors: [{ channelId, after: c.cursor }] }));
        const answer = res.channels.find((x) => x.channelId === channelId);
        for (const change of answer?.changes ?? []) if (change.changeSeq > c.cursor) this.apply(c, change);
        this.emit();
        if (answer?.hasMore) continue;
        if (!this.again.delete(channelId)) return;
      }
    } catch {
      // Timed out or lost the connection: the next reconnect syncs again from the same cursor.
    } finally {
      this.syncing.delete(channelId);
    }
  }

  private async syncAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.sync(id)));
  }

  /** One event with its ack, typed from the shared map; rejects when no ack comes in time. */
  private async request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<Ack<E>> {
    // socket.io's timeout() typing loses the ack's type; the shared map still fixes it here.
    const timed = this.socket.timeout(ACK_TIMEOUT_MS) as unknown as {
      emitWithAck(e: E, p: unknown): Promise<Ack<E>>;
    };
    for (let attempt = 0; ; attempt++) {
      const res = await timed.emitWithAck(event, payload);
      // Over this socket's event limit (a long catch-up, many open channels): slow down and ask again.
      const limited =
        !(res as SocketAck<unknown>).ok &&
        (res as { error: { code: string } }).error.code === SocketErrorCode.RateLimited;
      if (!limited || attempt >= RATE_LIMIT_RETRIES) return res;
      await new Promise((r) => setTimeout(r, RATE_LIMIT_BACKOFF_MS));
    }
  }

  // ---- acting ----

  send(payload: SendMessagePayload): void {
    this.pending.set(payload.clientId, { payload });
    this.emit();
    if (this.socket.connected) void this.deliver(payload);
  }

  /** Offline: kept; on reconnect sent again with its clientId, which the server stores once. */
  private resend(): void {
    for (const p of this.pending.values()) void this.deliver(p.payload);
  }

  private async deliver(payload: SendMessagePayload): Promise<void> {
    try {
      const res = await this.request(SocketEvent.ChannelSend, payload);
      if (res.ok) {
        // The message itself arrives as a change; until then it stays listed as sending.
        const c = this.open.get(payload.channelId);
        if (c && !c.messages.has(res.data.seq)) void this.sync(payload.channelId);
        else this.pending.delete(payload.clientId);
      } else {
        const p = this.pending.get(payload.clientId);
        if (p) p.error = res.error.details?.[0]?.message ?? res.error.message;
      }
    } catch (err) {
      const p = this.pending.get(payload.clientId);
      // A refused send stays on screen with its reason; a lost ack is retried on reconnect.
      if (p && err instanceof Error && !/timed out|timeout/i.test(err.message)) p.error = err.message;
    }
    this.emit();
  }

  discard(clientId: string): void {
    this.pending.delete(clientId);
    this.emit();
  }

  retry(clientId: string): void {
    const p = this.pending.get(clientId);
    if (!p) return;
    delete p.error;
    this.emit();
    void this.deliver(p.payload);
  }

  async edit(messageId: string, text: string): Promise<void> {
    unwrap(await this.request(SocketEvent.ChannelEdit, { messageId, text }));
  }

  async retract(messageId: string): Promise<void> {
    unwrap(await this.request(SocketEvent.ChannelRetract, { messageId }));
  }

  async acknowledge(messageId: string): Promise<void> {
    unwrap(await this.request(SocketEvent.ChannelAcknowledge, { messageId }));
    void this.qc.invalidateQueries({ queryKey: keys.readers(messageId) });
  }

  async closeAck(messageId: string): Promise<void> {
    unwrap(await this.request(SocketEvent.ChannelCloseAck, { messageId }));
  }

  /** Moves my read position forward (never back): the badge clears and senders see the receipt. */
  read(channelId: string, seq: number): void {
    const c = this.open.get(channelId);
    if (!c || seq <= c.readSent || !this.socket.connected) return;
    c.readSent = seq;
    this.socket.emit(SocketEvent.ChannelRead, { channelId, seq }, () => {
      void this.qc.invalidateQueries({ queryKey: keys.channels });
    });
  }

  /** At most one typing signal per 2 s (the server drops more). */
  typed(channelId: string): void {
    const now = Date.now();
    if (now - this.lastTyping < 2000 || !this.socket.connected) return;
    this.lastTyping = now;
    this.socket.emit(SocketEvent.ChannelTyping, { channelId });
  }
}
