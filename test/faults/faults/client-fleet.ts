import { TcpProxy } from '../../support/tcp-proxy.js';
import type { FaultContext } from '../fault.js';
import { channelId, LoadClient } from '../load.js';

/** Durations and sizes of the client-side faults; `config.extra` overrides any of them by name. */
export interface ClientFaultSizes {
  /** apps behind the network proxies (members of the load's channel, receiving) */
  fleet: number;
  /** how long the network keeps being cut, ms; each cut lasts `cutMs`, with `betweenCutsMs` of network between */
  cutsMs: number;
  cutMs: number;
  betweenCutsMs: number;
  /** how long the offline app stays away, ms */
  offlineMs: number;
  /** referrals of the offline app's agency that change state while it is away */
  offlineReferrals: number;
  /** how long one socket floods, ms */
  floodMs: number;
  /** half-open connections opened during the flood (over all nodes) */
  halfOpen: number;
  /** how long the server may take to close them once the flood is over, ms */
  reapMs: number;
  /** the latency window before the flood, ms */
  baselineMs: number;
}

const SIZES: Record<'short' | 'long', ClientFaultSizes> = {
  short: {
    fleet: 12,
    // "for several minutes": two, each cut 2 s, in CI too
    cutsMs: 2 * 60_000,
    cutMs: 2_000,
    betweenCutsMs: 2_000,
    // No server-side buffer holds anything for an absent client (connection state recovery is
    // off; the cross-node stream is per node, not per client): any span outlasts them all.
    offlineMs: 20_000,
    offlineReferrals: 4,
    floodMs: 15_000,
    halfOpen: 150,
    reapMs: 45_000,
    baselineMs: 10_000,
  },
  long: {
    fleet: 40,
    cutsMs: 5 * 60_000,
    cutMs: 2_000,
    betweenCutsMs: 3_000,
    offlineMs: 30 * 60_000,
    offlineReferrals: 20,
    floodMs: 60_000,
    halfOpen: 1_000,
    reapMs: 90_000,
    baselineMs: 30_000,
  },
};

export function sizes(ctx: FaultContext): ClientFaultSizes {
  const s = { ...SIZES[ctx.config.profile] };
  for (const key of Object.keys(s) as (keyof ClientFaultSizes)[]) {
    const v = ctx.config.extra[key];
    if (typeof v === 'number') s[key] = v;
  }
  return s;
}

/** Members of the bureau–police channel who take turns in the fleet (sockets per user stay few). */
const FLEET_USERS = ['gaj.officer', 'zfj.head', 'gaj.head', 'zfj.officer', 'gaj.liaison', 'zfj.liaison'];

/**
 * Apps whose network is a TCP proxy per node (the client's side of the wire), so a fault can cut
 * or freeze all of them at once. Made by the first client fault that needs them and kept to the
 * end of the run; they are load clients like the others, so their deliveries are checked too.
 */
export interface Fleet {
  proxies: TcpProxy[];
  clients: LoadClient[];
  channelId: string;
}

let fleet: Fleet | undefined;

export async function ensureFleet(ctx: FaultContext): Promise<Fleet> {
  if (fleet) return fleet;
  const proxies = await Promise.all(
    ctx.cluster.nodes.map((_, i) => TcpProxy.start(Number(new URL(ctx.cluster.url(i)).port))),
  );
  const channel = await channelId(ctx, 'zfj.liaison');
  const clients: LoadClient[] = [];
  const n = sizes(ctx).fleet;
  for (let i = 0; i < n; i++) {
    const username = FLEET_USERS[i % FLEET_USERS.length] ?? 'gaj.officer';
    const home = i % ctx.cluster.size;
    clients.push(
      new LoadClient(ctx, `fleet-${i}:${username}@${home}`, username, home, {
        channelId: channel,
        via: (node) => proxies[node]?.url ?? ctx.cluster.url(node),
      }),
    );
  }
  await Promise.all(clients.map((c) => c.start()));
  ctx.clients.push(...clients);
  fleet = { proxies, clients, channelId: channel };
  ctx.log(`client fleet: ${n} apps behind ${proxies.length} network proxies`);
  return fleet;
}

/** Waits until every app is connected again; returns how long that took. */
export async function allConnected(ctx: FaultContext, withinMs: number): Promise<number> {
  const from = Date.now();
  while (!ctx.clients.every((c) => c.connected)) {
    if (Date.now() - from > withinMs) {
      const away = ctx.clients.filter((c) => !c.connected).map((c) => c.record.name);
      throw new Error(`${away.length} apps not reconnected within ${withinMs} ms: ${away.slice(0, 5).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - from;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
