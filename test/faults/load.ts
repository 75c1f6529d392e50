import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import {
  SocketErrorCode,
  SocketEvent,
  type ChannelChange,
  type ChannelView,
  type MessageAck,
  type ReferralChangedEvent,
  type ReferralList,
  type SocketAck,
  type SyncResult,
  type TokenPair,
} from '@xietong/shared';
import { DEMO_PASSWORD, type ClientSocket } from '../support/app.js';
import type { Cluster } from './cluster.js';
import type { FaultConfig } from './config.js';
import type { ClientRecord, HttpStatus, Ledger } from './ledger.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const LIAISON_CHANNEL = '执法局—公安局联络群';

export interface HttpAnswer<T> {
  status: HttpStatus;
  body: T;
}

/** Which steady sender sent each message (by client id): the order checks are per sender. */
const SENT_BY = new Map<string, string>();
/**
 * One HTTP request to one node, recorded in the ledger. Never throws: a refused or reset
 * connection and a request that outlives `hangMs` are outcomes of their own.
 */
export async function request<T = Record<string, unknown>>(
  ctx: { cluster: Cluster; ledger: Ledger; config: FaultConfig },
  node: number,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const started = Date.now();
  let status: HttpStatus;
  let body: unknown;
  let text = '';
  try {
    const res = await fetch(ctx.cluster.url(node) + path, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      signal: AbortSignal.timeout(ctx.config.hangMs),
    });
    text = await res.text();
    status = res.status;
    body = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
  } catch (e) {
    status = classify(e);
  }
  ctx.ledger.http.push({
    at: started,
    phase: ctx.ledger.phase,
    node,
    route: `${method} ${path.replace(/[0-9a-f-]{36}/g, ':id').replace(/\?.*$/, '')}`,
    status,
    ms: Date.now() - started,
    ...(typeof status === 'number' && status >= 500 ? { body: text.slice(0, 500) } : {}),
  });
  return { status, body: body as T };
}

function classify(e: unknown): HttpStatus {
  const err = e as { name?: string; cause?: { code?: string; name?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'hang';
  const code = err.cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  return 'reset'; // ECONNRESET, UND_ERR_SOCKET, "other side closed": the node died mid-request
}

export interface LoadContext {
  cluster: Cluster;
  ledger: Ledger;
  config: FaultConfig;
  log(m: string): void;
}

/** A transient answer: the same request is tried again (on the next node for a dead one). */
const transient = (s: HttpStatus): boolean => s === 'refused' || s === 'reset' || s === 'hang' || s === 503;

/** Signs in on whichever node answers. */
async function login(ctx: LoadContext, username: string, firstNode: number): Promise<TokenPair> {
  for (let attempt = 0; ; attempt++) {
    const node = (firstNode + attempt) % ctx.cluster.size;
    const res = await request<TokenPair>(ctx, node, 'POST', '/api/auth/login', {
      body: { username, password: DEMO_PASSWORD },
    });
    if (res.status === 200) return res.body;
    if (!transient(res.status) || attempt > 200) throw new Error(`login ${username}: ${res.status}`);
    await sleep(250);
  }
}

/**
 * An officer of the bureau who opens a matter and refers it to 龙洲街道 again and again, over
 * HTTP, round-robin over the nodes as a load balancer would. A failed attempt is retried with
 * the same Idempotency-Key until it is answered, as the web app does.
 */
export class ReferralSender {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private token = '';
  private itemCode = '';
  private next: number;
  sent = 0;
  readonly problems: string[] = [];

  constructor(
    private readonly ctx: LoadContext,
    readonly username: string,
    index: number,
  ) {
    this.next = index;
  }

  async start(): Promise<void> {
    this.token = (await login(this.ctx, this.username, this.next)).accessToken;
    const page = await request<{ items: { code: string; current: Record<string, unknown> | null }[] }>(
      this.ctx,
      this.next % this.ctx.cluster.size,
      'GET',
      '/api/catalogue/items?limit=200',
      { token: this.token },
    );
    const item = page.body.items.find((i) => {
      const c = i.current as {
        effectiveTo: string | null;
        penalising?: { code: string };
        delegatedTownships: { code: string }[];
      } | null;
      return (
        c?.effectiveTo === null && c.penalising?.code === 'ZFJ' && c.delegatedTownships.some((t) => t.code === 'XZ-LZ')
      );
    });
    if (!item) throw new Error('no seeded item delegated to XZ-LZ');
    this.itemCode = item.code;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.sendOne();
      } catch (e) {
        this.problems.push(String(e));
      }
      await sleep(this.ctx.config.referralEveryMs);
    }
  }

  /** Posts until answered; gives up only on an answer that retrying cannot change. */
  private async post<T>(path: string, body: unknown, key: string): Promise<{ body: T; attempts: number }> {
    for (let attempts = 1; ; attempts++) {
      const node = this.next++ % this.ctx.cluster.size;
      const res = await request<T>(this.ctx, node, 'POST', path, {
        token: this.token,
        body,
        headers: { 'idempotency-key': key },
      });
      if (res.status === 201 || res.status === 200) return { body: res.body, attempts };
      // 409 "still running": the first attempt's node is still at it (or died holding the key).
      const retry = transient(res.status) || res.status === 409;
      if (!retry || attempts > 400) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(250);
    }
  }

  private async sendOne(): Promise<void> {
    const phase = this.ctx.ledger.phase;
    const sentAt = Date.now();
    const n = ++this.sent;
    const matter = await this.post<{ id: string }>(
      '/api/matters',
      {
        itemCode: this.itemCode,
        township: 'XZ-LZ',
        place: `龙洲街道故障演练点 ${n}`,
        party: { kind: 'company', name: '龙游县某某餐饮有限公司', idNumber: '91330825MA2ABCDE1X' },
        procedure: 'simple',
        flags: {},
        summary: `fault-load ${this.username} #${n}`,
      },
      `m-${randomUUID()}`,
    );
    const referral = await this.post<{ id: string }>(
      '/api/referrals',
      { matterId: matter.body.id, kind: 'jurisdiction_transfer', note: '故障演练' },
      `r-${randomUUID()}`,
    );
    this.ctx.ledger.referrals.push({
      referralId: referral.body.id,
      matterId: matter.body.id,
      phase,
      sentAt,
      ackAt: Date.now(),
      attempts: matter.attempts + referral.attempts,
    });
  }
}

/**
 * A person's app: one socket to its home node (another one while that node is down), which
 * reconnects by itself and, once back, catches up on what it missed (channel sync from its
 * cursor; the referral inbox), as the web app does. A sending client also posts a channel
 * message every `messageEveryMs`, one at a time, retrying the same clientId until acknowledged.
 */
export class LoadClient {
  readonly record: ClientRecord;
  socket: ClientSocket | undefined;
  private token = '';
  private stopped = false;
  /** offline on purpose (a fault keeps it away): no reconnect until `online()` */
  private offline = false;
  private cursor = 0;
  /** per sender, the last message seq pushed live on the current connection */
  private lastLive = new Map<string, number>();
  /** the last live changeSeq on the current connection (any sender) */
  private lastChange = 0;
  private sendLoop: Promise<void> | undefined;
  private reconnecting = false;
  sendFailures = 0;

  constructor(
    private readonly ctx: LoadContext,
    name: string,
    readonly username: string,
    readonly home: number,
    readonly opts: {
      channelId?: string;
      sends?: boolean;
      receivesReferrals?: boolean;
      /** where its socket connects for a node (a proxy standing for its network); the node itself by default */
      via?: (node: number) => string;
    },
  ) {
    this.record = ctx.ledger.newClient(name, username, {
      referrals: opts.receivesReferrals ?? false,
      messages: opts.channelId !== undefined,
    });
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  async start(): Promise<void> {
    this.token = (await login(this.ctx, this.username, this.home)).accessToken;
    await this.connect();
    if (this.opts.sends) this.sendLoop = this.sending();
  }

  /** Cuts this client's connection from its side (a network drop); it reconnects by itself. */
  drop(): void {
    this.socket?.disconnect();
  }

  /** Goes away and stays away until `online()`. */
  goOffline(): void {
    this.offline = true;
    this.socket?.disconnect();
  }

  async online(): Promise<void> {
    this.offline = false;
    if (!this.connected) await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.sendLoop;
  }

  close(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private async connect(): Promise<void> {
    for (let attempt = 0; !this.stopped && !this.offline; attempt++) {
      // Home first; while it is down, the others in turn (a load balancer's failover).
      const node = (this.home + attempt) % this.ctx.cluster.size;
      if (await this.open(node)) return;
      await sleep(attempt < this.ctx.cluster.size ? 50 : 300);
    }
  }

  private open(node: number): Promise<boolean> {
    return new Promise((done) => {
      const socket: ClientSocket = io(this.opts.via?.(node) ?? this.ctx.cluster.url(node), {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 5_000,
        auth: { token: this.token },
      });
      socket.on(SocketEvent.ChannelChange, (c: ChannelChange) => this.onChange(c));
      socket.on(SocketEvent.ReferralDelivered, (e: ReferralChangedEvent) => {
        this.record.liveReferrals.set(e.referralId, (this.record.liveReferrals.get(e.referralId) ?? 0) + 1);
      });
      socket.once('connect', () => {
        this.socket = socket;
        this.lastLive = new Map();
        this.lastChange = 0;
        const conn: ClientRecord['connections'][number] = { node, from: Date.now() };
        this.record.connections.push(conn);
        socket.once('disconnect', (reason) => {
          conn.to = Date.now();
          conn.reason = reason;
          if (!this.stopped && !this.offline) void this.reconnect();
        });
        done(true);
        void this.catchUp().catch(() => undefined);
      });
      socket.once('connect_error', () => {
        socket.close();
        done(false);
      });
    });
  }

  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      await sleep(100 + Math.floor(Math.random() * 200));
      await this.connect();
    } finally {
      this.reconnecting = false;
    }
  }

  private onChange(c: ChannelChange): void {
    if (c.channelId !== this.opts.channelId) return;
    if (c.type === 'message.created' && c.message) {
      const id = c.message.id;
      this.record.liveMessages.set(id, (this.record.liveMessages.get(id) ?? 0) + 1);
      // In order means each sender's messages in the order they were sent. Two senders on two nodes
      // commit and push independently (a resend after a node died is pushed again late), so their
      // messages may interleave out of seq order; the app sorts by seq.
      // Keyed by the steady sender that sent it (one message at a time, each acknowledged before
      // the next): a user's second tab sending meanwhile has no order against the first.
      const sender = SENT_BY.get(c.message.clientId ?? '');
      const last = sender ? (this.lastLive.get(sender) ?? 0) : Number.NEGATIVE_INFINITY;
      if (c.message.seq <= last)
        this.record.outOfOrder.push({ channelId: c.channelId, after: last, got: c.message.seq });
      else if (sender) this.lastLive.set(sender, c.message.seq);
      if (c.changeSeq < this.lastChange) this.record.interleaved++;
      this.lastChange = Math.max(this.lastChange, c.changeSeq);
    }
    // Only a contiguous change moves the cursor (as in the web app): one past a gap would make the
    // next sync page, or the next catch-up, skip what is still missing.
    if (c.changeSeq === this.cursor + 1) this.cursor = c.changeSeq;
  }

  private async emit<T>(event: string, payload: unknown): Promise<SocketAck<T> | undefined> {
    const socket = this.socket;
    if (!socket?.connected) return undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        const ack = (await (socket.timeout(this.ctx.config.hangMs) as unknown as ClientSocket).emitWithAck(
          event as typeof SocketEvent.Ping,
          payload,
        )) as unknown as SocketAck<T>;
        // Over the socket's event limit (a long catch-up): slow down and ask again, as the web app does.
        if (ack.ok || ack.error.code !== SocketErrorCode.RateLimited || attempt >= 20) return ack;
        await sleep(250);
      }
    } catch {
      return undefined; // no ack in time, or the connection went
    }
  }

  /** What a reconnected app does: pull the channel from its cursor, re-read the inbox. */
  private async catchUp(): Promise<void> {
    const channelId = this.opts.channelId;
    if (channelId) {
      for (let i = 0; i < 1000; i++) {
        const ack = await this.emit<SyncResult>(SocketEvent.ChannelSync, {
          cursors: [{ channelId, after: this.cursor }],
        });
        if (!ack?.ok) break;
        const ch = ack.data.channels.find((c) => c.channelId === channelId);
        if (!ch) break;
        for (const c of ch.changes) {
          if (c.type === 'message.created' && c.message) this.record.syncedMessages.add(c.message.id);
          this.cursor = Math.max(this.cursor, c.changeSeq);
        }
        if (!ch.hasMore) break;
      }
    }
    if (this.record.receivesReferrals) await this.readInbox();
  }

  /** Every referral in the inbox, page by page, from the node this client is connected to. */
  async readInbox(): Promise<void> {
    const node = this.record.connections.at(-1)?.node ?? this.home;
    for (let offset = 0; ; offset += 200) {
      const res = await request<ReferralList>(
        this.ctx,
        node,
        'GET',
        `/api/referrals/inbox?limit=200&offset=${offset}`,
        {
          token: this.token,
        },
      );
      if (res.status !== 200) return;
      for (const r of res.body.referrals) this.record.caughtUpReferrals.add(r.id);
      if (res.body.referrals.length < 200) return;
    }
  }

  private async sending(): Promise<void> {
    const channelId = this.opts.channelId ?? '';
    for (let n = 1; !this.stopped; n++) {
      const phase = this.ctx.ledger.phase;
      const clientId = randomUUID();
      SENT_BY.set(clientId, this.record.name);
      const sentAt = Date.now();
      for (let attempts = 1; ; attempts++) {
        const ack = await this.emit<MessageAck>(SocketEvent.ChannelSend, {
          channelId,
          clientId,
          text: `fault-load ${this.record.name} #${n}`,
        });
        if (ack?.ok) {
          this.ctx.ledger.messages.push({
            messageId: ack.data.id,
            clientId,
            channelId,
            sender: this.record.name,
            phase,
            sentAt,
            ackAt: Date.now(),
            attempts,
          });
          break;
        }
        this.sendFailures++;
        this.ctx.ledger.sendFailures.push({
          at: Date.now(),
          phase: this.ctx.ledger.phase,
          client: this.record.name,
          reason: ack === undefined ? (this.connected ? 'no-ack' : 'offline') : ack.ok ? 'ok' : ack.error.code,
        });
        // Unsent at the end of the run: the person still has it in the composer, nothing was lost.
        if (this.stopped && attempts > 40) break;
        await sleep(250);
      }
      await sleep(this.ctx.config.messageEveryMs);
    }
  }
}

/** The channel the load talks in, by its seeded title. */
export async function channelId(ctx: LoadContext, username: string): Promise<string> {
  const token = (await login(ctx, username, 0)).accessToken;
  const res = await request<ChannelView[]>(ctx, 0, 'GET', '/api/channels', { token });
  const found = Array.isArray(res.body) ? res.body.find((c) => c.title === LIAISON_CHANNEL) : undefined;
  if (!found) throw new Error(`${username} has no channel ${LIAISON_CHANNEL}`);
  return found.id;
}
