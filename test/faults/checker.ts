import { Redis } from 'ioredis';
import type { Cluster } from './cluster.js';
import { QUEUE_PREFIX } from './cluster.js';
import type { ClientRecord, HttpOutcome, Ledger } from './ledger.js';

/** One fault's figures (or the whole run's). `lost` and `duplicated` must be 0. */
export interface Counts {
  /** referrals and channel messages sent (acknowledged) in the phase */
  sent: number;
  /** deliveries owed: each item times the clients that should have it */
  expected: number;
  /** of those, pushed live or caught up after a reconnect */
  received: number;
  /** of those, caught up (not pushed live: the client was away) */
  caughtUp: number;
  lost: number;
  /** the same item pushed twice to the same client */
  duplicated: number;
  /** live messages out of order on one connection */
  outOfOrder: number;
  http: { answered: number; unavailable503: number; serverErrors: number; hangs: number; cut: number };
}

const MESSAGE_MARK = 'fault-load ';

function liveOrCaught(
  client: ClientRecord,
  id: string,
  kind: 'message' | 'referral',
): { got: boolean; live: number; caught: boolean } {
  const live = (kind === 'message' ? client.liveMessages : client.liveReferrals).get(id) ?? 0;
  const caught = (kind === 'message' ? client.syncedMessages : client.caughtUpReferrals).has(id);
  return { got: live > 0 || caught, live, caught: live === 0 && caught };
}

/** Whether a 503 body is one a user can read: JSON, saying so, and naming no internals. */
export function clear503(body: string | undefined): boolean {
  if (!body) return false;
  let parsed: { statusCode?: unknown; message?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return false;
  }
  if (parsed.statusCode !== 503 || typeof parsed.message !== 'string' || !parsed.message) return false;
  return !/ECONN|pg_|terminat|select |insert |update |stack|\bat .*\.js|redis|ioredis|timeout of/i.test(body);
}

export function httpCounts(outcomes: HttpOutcome[]): Counts['http'] {
  const c = { answered: 0, unavailable503: 0, serverErrors: 0, hangs: 0, cut: 0 };
  for (const o of outcomes) {
    if (o.status === 'hang') c.hangs++;
    else if (o.status === 'refused' || o.status === 'reset') c.cut++;
    else if (o.status === 503 && clear503(o.body)) c.unavailable503++;
    else if (o.status >= 500) c.serverErrors++;
    else c.answered++;
  }
  return c;
}

/** The counts of the items sent in `phases` (all when omitted), from what the clients recorded. */
export function counts(ledger: Ledger, phases?: Set<string>): Counts {
  const inPhase = (p: string): boolean => !phases || phases.has(p);
  const referrals = ledger.referrals.filter((r) => inPhase(r.phase));
  const messages = ledger.messages.filter((m) => inPhase(m.phase));
  const c: Counts = {
    sent: referrals.length + messages.length,
    expected: 0,
    received: 0,
    caughtUp: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    http: httpCounts(ledger.http.filter((o) => inPhase(o.phase))),
  };
  const tally = (client: ClientRecord, id: string, kind: 'message' | 'referral'): void => {
    const r = liveOrCaught(client, id, kind);
    c.expected++;
    if (r.got) c.received++;
    else c.lost++;
    if (r.caught) c.caughtUp++;
    if (r.live > 1) c.duplicated++;
  };
  for (const client of ledger.clients) {
    if (client.receivesReferrals) for (const r of referrals) tally(client, r.referralId, 'referral');
    if (client.receivesMessages) for (const m of messages) tally(client, m.messageId, 'message');
    if (!phases) c.outOfOrder += client.outOfOrder.length;
  }
  return c;
}

/**
 * What the database and the queues say, beside the clients: every acknowledged referral and
 * message is stored, every stored one reached every client, the outbox is drained, and every
 * live legal clock still has its delayed jobs in BullMQ.
 */
export async function checkStores(
  cluster: Cluster,
  ledger: Ledger,
  /** only what was written before this (ms since epoch): later items may still be on their way */
  before = Date.now(),
): Promise<{ problems: string[]; figures: Record<string, number> }> {
  const problems: string[] = [];
  const until = new Date(before);
  const referrals = await cluster.query<{ id: string; state: string }>(
    `select r.id, r.state from referral r join matter m on m.id = r.matter_id where m.summary like $1 and r.created_at < $2`,
    [`${MESSAGE_MARK}%`, until],
  );
  const messages = await cluster.query<{ id: string }>(
    `select id from channel_message where body like $1 and created_at < $2`,
    [`${MESSAGE_MARK}%`, until],
  );
  const stored = new Set([...referrals.map((r) => r.id), ...messages.map((m) => m.id)]);
  const acked = [
    ...ledger.referrals.filter((r) => r.ackAt < before - 1_000).map((r) => r.referralId),
    ...ledger.messages.filter((m) => m.ackAt < before - 1_000).map((m) => m.messageId),
  ];
  const missing = acked.filter((id) => !stored.has(id));
  if (missing.length)
    problems.push(`${missing.length} acknowledged items are not in the database: ${missing.slice(0, 5).join(', ')}`);
  for (const client of ledger.clients) {
    const refs = client.receivesReferrals ? referrals.map((r) => r.id) : [];
    const lostRefs = refs.filter((id) => !liveOrCaught(client, id, 'referral').got);
    if (lostRefs.length)
      problems.push(`${client.name} never got ${lostRefs.length} stored referrals: ${lostRefs.slice(0, 3).join(', ')}`);
    if (client.receivesMessages) {
      const lostMsgs = messages.filter((m) => !liveOrCaught(client, m.id, 'message').got);
      if (lostMsgs.length) problems.push(`${client.name} never got ${lostMsgs.length} stored messages`);
    }
    if (client.outOfOrder.length)
      problems.push(`${client.name}: ${client.outOfOrder.length} live messages out of order`);
  }
  const undelivered = referrals.filter((r) => r.state !== 'delivered');
  if (undelivered.length) problems.push(`${undelivered.length} referrals are not in state delivered`);

  const [outbox] = await cluster.query<{ pending: string }>(
    `select count(*) pending from outbox_message where enqueued_at is null and created_at < $1`,
    [until],
  );
  if (Number(outbox?.pending) > 0) problems.push(`${outbox?.pending} outbox rows never relayed`);

  // Every live clock: the steps still to come are delayed jobs of its current generation.
  const clocks = await cluster.query<{
    id: string;
    generation: number;
    state: string;
    warned: boolean;
    referral_id: string;
  }>(
    `select c.id, c.generation, c.state, c.warned_at is not null warned, c.referral_id from referral_clock c
      where c.state in ('running', 'overdue') and c.referral_id = any($1::uuid[])`,
    [referrals.map((r) => r.id)],
  );
  const withClock = new Set(clocks.map((c) => c.referral_id));
  const clockless = referrals.filter((r) => !withClock.has(r.id));
  if (clockless.length) problems.push(`${clockless.length} delivered referrals have no running clock`);
  const wanted = clocks.flatMap((c) =>
    [!c.warned ? 'warn' : '', c.state === 'running' ? 'overdue' : '', 'escalate']
      .filter(Boolean)
      .map((step) => `clock-${c.id}-g${c.generation}-${step}`),
  );
  const redis = new Redis(cluster.redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  let unscheduled = 0;
  try {
    await redis.connect();
    for (let i = 0; i < wanted.length; i += 500) {
      const batch = wanted.slice(i, i + 500);
      const scores = await redis.zmscore(`${QUEUE_PREFIX}:clocks:delayed`, ...batch);
      unscheduled += scores.filter((s) => s === null).length;
    }
  } finally {
    redis.disconnect();
  }
  if (unscheduled) problems.push(`${unscheduled} of ${wanted.length} clock steps have no delayed job in BullMQ`);
  return {
    problems,
    figures: {
      storedReferrals: referrals.length,
      storedMessages: messages.length,
      liveClocks: clocks.length,
      scheduledSteps: wanted.length - unscheduled,
    },
  };
}
