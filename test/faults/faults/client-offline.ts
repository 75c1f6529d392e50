import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import {
  SocketEvent,
  type ChannelChange,
  type HistoryPage,
  type MessageAck,
  type MessageView,
  type ReferralChangedEvent,
  type ReferralList,
  type ReferralView,
  type SocketAck,
  type SyncResult,
} from '@xietong/shared';
import { Http, type ClientSocket } from '../../support/app.js';
import { delegatedItemCode } from '../../support/fixtures.js';
import type { Fault, FaultContext } from '../fault.js';
import { channelId } from '../load.js';
import { sizes } from './client-fleet.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const MARK = 'offline-fault';

type Seen = Pick<MessageView, 'seq' | 'body' | 'retracted' | 'version'>;

async function ack<T>(socket: ClientSocket, event: string, payload: unknown): Promise<SocketAck<T>> {
  return (await (socket.timeout(15_000) as unknown as ClientSocket).emitWithAck(
    event as typeof SocketEvent.Ping,
    payload,
  )) as unknown as SocketAck<T>;
}

/**
 * An app that keeps state as the web app does: the channel's messages as they stand (created,
 * edited, retracted: applied from live changes, and on return from `channel.sync` after its
 * cursor), and the state of each referral of its agency (live `referral.*` events, and on
 * return a re-read of the inbox). Its state is then compared with the REST views.
 */
class MirrorApp {
  readonly messages = new Map<string, Seen>();
  readonly referrals = new Map<string, { state: string; at: string }>();
  private cursor = 0;
  private socket: ClientSocket | undefined;
  private token = '';

  constructor(
    private readonly ctx: FaultContext,
    private readonly username: string,
    private readonly node: number,
    private readonly channelId: string,
    private readonly http: Http,
  ) {}

  get maxSeq(): number {
    let max = 0;
    for (const m of this.messages.values()) max = Math.max(max, m.seq);
    return max;
  }

  async online(): Promise<void> {
    if (!this.token) this.token = (await this.http.login(this.username)).accessToken;
    const socket: ClientSocket = io(this.ctx.cluster.url(this.node), {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token: this.token },
    });
    socket.on(SocketEvent.ChannelChange, (c: ChannelChange) => this.apply(c));
    const onReferral = (e: ReferralChangedEvent) => this.referral(e.referralId, e.state, e.at);
    socket.on(SocketEvent.ReferralChanged, onReferral);
    socket.on(SocketEvent.ReferralDelivered, onReferral);
    await new Promise<void>((ok, fail) => {
      socket.once('connect', () => ok());
      socket.once('connect_error', fail);
    });
    this.socket = socket;
    // Catch-up, as after any reconnect: the channel from its cursor, then the inbox.
    for (;;) {
      const res = await ack<SyncResult>(socket, SocketEvent.ChannelSync, {
        cursors: [{ channelId: this.channelId, after: this.cursor }],
      });
      if (!res.ok) throw new Error(`sync refused: ${res.error.code}`);
      const ch = res.data.channels.find((c) => c.channelId === this.channelId);
      for (const c of ch?.changes ?? []) this.apply(c, true);
      if (!ch?.hasMore) break;
    }
    for (const r of await sentReferrals(this.http, this.token)) this.referral(r.id, r.state, r.updatedAt);
  }

  /** the REST views as this user sees them */
  views(): Promise<{ history: MessageView[]; referrals: ReferralView[] }> {
    return Promise.all([history(this.http, this.token, this.channelId), sentReferrals(this.http, this.token)]).then(
      ([h, r]) => ({ history: h, referrals: r }),
    );
  }

  offline(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private apply(c: ChannelChange, fromSync = false): void {
    if (c.channelId !== this.channelId) return;
    // Only a contiguous change moves the cursor, as in the web app: a live one pushed while a long
    // catch-up is still paging is past the gap, and the next page must start before it.
    if (c.changeSeq === this.cursor + 1 || (fromSync && c.changeSeq > this.cursor)) this.cursor = c.changeSeq;
    const m = c.message;
    if (!m) return;
    const had = this.messages.get(m.id);
    if (!had || m.version >= had.version || m.retracted)
      this.messages.set(m.id, { seq: m.seq, body: m.body, retracted: m.retracted, version: m.version });
  }

  private referral(id: string, state: string, at: string): void {
    const had = this.referrals.get(id);
    if (!had || had.at <= at) this.referrals.set(id, { state, at });
  }
}

/** The referrals the bureau sent (its 已发 list): what the web app re-reads after a reconnect. */
async function sentReferrals(http: Http, token: string): Promise<ReferralView[]> {
  const all: ReferralView[] = [];
  for (let offset = 0; ; offset += 200) {
    const res = await http.get<ReferralList>(`/api/referrals/outbox?limit=200&offset=${offset}`, token);
    if (res.status !== 200) throw new Error(`referrals sent: ${res.status}`);
    all.push(...res.body.referrals);
    if (res.body.referrals.length < 200) return all;
  }
}

async function history(http: Http, token: string, channel: string): Promise<MessageView[]> {
  const all: MessageView[] = [];
  for (let after = 0; ;) {
    const res = await http.get<HistoryPage>(`/api/channels/${channel}/messages?after=${after}&limit=200`, token);
    if (res.status !== 200) throw new Error(`history: ${res.status}`);
    all.push(...res.body.messages);
    const last = res.body.messages.at(-1);
    if (!res.body.hasMore || !last) return all;
    after = last.seq;
  }
}

/** Referrals from the offline app's agency to 龙洲街道, made for this fault, not for the load's counts. */
async function referrals(http: Http, token: string, count: number): Promise<string[]> {
  const itemCode = await delegatedItemCode(http, token);
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const matter = await http.request<{ id: string }>('POST', '/api/matters', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        itemCode,
        township: 'XZ-LZ',
        place: `龙洲街道离线演练点 ${n}`,
        party: { kind: 'company', name: '龙游县某某餐饮有限公司', idNumber: '91330825MA2ABCDE1X' },
        procedure: 'simple',
        flags: {},
        summary: `${MARK} #${n}`,
      },
    });
    if (matter.status !== 201) throw new Error(`matter: ${matter.status} ${JSON.stringify(matter.body)}`);
    const referral = await http.request<{ id: string }>('POST', '/api/referrals', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { matterId: matter.body.id, kind: 'jurisdiction_transfer', note: '离线演练' },
    });
    if (referral.status !== 201) throw new Error(`referral: ${referral.status} ${JSON.stringify(referral.body)}`);
    ids.push(referral.body.id);
  }
  return ids;
}

/** The steps each referral takes while the app is away: none, signed, accepted, in progress, … */
const PATHS = [[], ['sign'], ['sign', 'accept'], ['sign', 'accept', 'start']];

export const offlineClient: Fault = {
  name: 'client-offline',
  description:
    'one app stays offline while messages are sent, edited and retracted and its referrals change state: back, its state equals the REST views',
  async run(ctx) {
    const s = sizes(ctx);
    const http = new Http(ctx.cluster.url(0));
    const channel = await channelId(ctx, 'zfj.liaison');
    const officer = (await http.login('zfj.officer')).accessToken;
    const staff = (await http.login('lz.staff')).accessToken;
    const ours = await referrals(http, officer, s.offlineReferrals);
    // The absent one: the bureau's head (a channel member, and the sender of the referrals), on
    // the last node; the editor: the police liaison's second tab; 龙洲街道 moves the referrals on.
    const app = new MirrorApp(ctx, 'zfj.head', ctx.cluster.size - 1, channel, http);
    await app.online();
    const editorToken = (await http.login('gaj.liaison')).accessToken;
    const editor: ClientSocket = io(ctx.cluster.url(0), {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token: editorToken },
    });
    await new Promise<void>((ok, fail) => {
      editor.once('connect', () => ok());
      editor.once('connect_error', fail);
    });
    const notes = { sent: 0, edited: 0, retracted: 0, referralSteps: 0 };
    try {
      await sleep(500);
      app.offline();
      const away = Date.now();
      const end = away + s.offlineMs;
      let step = 0;
      // Referral steps spread over the absence; messages posted, edited and retracted throughout.
      const steps = ours.flatMap((id, i) => (PATHS[i % PATHS.length] ?? []).map((action) => ({ id, action })));
      while (Date.now() < end) {
        const sent = await ack<MessageAck>(editor, SocketEvent.ChannelSend, {
          channelId: channel,
          clientId: randomUUID(),
          text: `${MARK} ${notes.sent}`,
        });
        if (sent.ok) {
          notes.sent++;
          const n = notes.sent;
          if (n % 3 === 1) {
            const r = await ack(editor, SocketEvent.ChannelEdit, {
              messageId: sent.data.id,
              text: `${MARK} ${n} 已修改`,
            });
            if (r.ok) notes.edited++;
          } else if (n % 3 === 2) {
            const r = await ack(editor, SocketEvent.ChannelRetract, { messageId: sent.data.id });
            if (r.ok) notes.retracted++;
          }
        }
        const due = Math.floor(((Date.now() - away) / s.offlineMs) * steps.length);
        while (step < Math.min(due, steps.length)) {
          const st = steps[step++];
          if (!st) break;
          const res = await http.post(`/api/referrals/${st.id}/actions/${st.action}`, {}, staff);
          if (res.status !== 200) throw new Error(`${st.action}: ${res.status} ${JSON.stringify(res.body)}`);
          notes.referralSteps++;
        }
        await sleep(Math.min(1_000, s.offlineMs / 20));
      }
      for (const st of steps.slice(step)) {
        const res = await http.post(`/api/referrals/${st.id}/actions/${st.action}`, {}, staff);
        if (res.status !== 200) throw new Error(`${st.action}: ${res.status} ${JSON.stringify(res.body)}`);
        notes.referralSteps++;
      }

      // Back: catch-up only (no reload); then one more edit and one more step arrive live.
      const backAt = new Date().toISOString();
      await app.online();
      const last = await ack<MessageAck>(editor, SocketEvent.ChannelSend, {
        channelId: channel,
        clientId: randomUUID(),
        text: `${MARK} after return`,
      });
      if (last.ok)
        await ack(editor, SocketEvent.ChannelEdit, { messageId: last.data.id, text: `${MARK} after return 已修改` });
      const untouched = ours.find((_, i) => (PATHS[i % PATHS.length] ?? []).length === 0);
      if (untouched) await http.post(`/api/referrals/${untouched}/actions/sign`, {}, staff);
      await sleep(2_000);

      const upTo = app.maxSeq;
      const views = await app.views();
      const server = views.history.filter((m) => m.seq <= upTo);
      const differ = server.filter((m) => {
        const mine = app.messages.get(m.id);
        return !mine || mine.body !== m.body || mine.retracted !== m.retracted || mine.version !== m.version;
      });
      // Referrals the load made since the return may still be on their way: those before it must match.
      const compared = views.referrals.filter((r) => r.createdAt < backAt || ours.includes(r.id));
      const wrongState = compared.filter((r) => app.referrals.get(r.id)?.state !== r.state);
      const problems = [
        differ.length
          ? `${differ.length} of ${server.length} messages differ from the history (${differ
              .map((m) => m.seq)
              .slice(0, 5)
              .join(', ')})`
          : '',
        wrongState.length
          ? `${wrongState.length} referrals differ from the inbox: ${wrongState
              .slice(0, 3)
              .map((r) => `${r.id} ${app.referrals.get(r.id)?.state ?? 'missing'}≠${r.state}`)
              .join('; ')}`
          : '',
      ].filter(Boolean);
      if (problems.length) throw new Error(`the returning app's state is not the server's: ${problems.join('; ')}`);
      return { offlineMs: s.offlineMs, ...notes, messagesCompared: server.length, referralsCompared: compared.length };
    } finally {
      editor.close();
      app.offline();
    }
  },
};
