import type { Fault } from '../fault.js';
import { allConnected, ensureFleet, sizes } from './client-fleet.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every app's connection dropped in the same instant; they all come back at once. */
export const reconnectStorm: Fault = {
  name: 'client-reconnect-storm',
  description:
    'every client connection is dropped at once (network proxies reset, the other apps cut): all reconnect and catch up, nothing lost or doubled',
  async run(ctx) {
    const fleet = await ensureFleet(ctx);
    const before = ctx.clients.filter((c) => c.connected).length;
    for (const p of fleet.proxies) p.cut();
    for (const c of ctx.clients) if (!fleet.clients.includes(c)) c.drop();
    const reconnectMs = await allConnected(ctx, ctx.config.recoverMs);
    return { dropped: before, reconnectMs };
  },
};

/**
 * The clients' network goes away for `cutMs`, again and again. Cuts alternate between a frozen
 * network (connections stay open, nothing passes: TCP delivers it all, late, once it is back)
 * and a reset one (every connection closed, new ones refused until it is back).
 */
export const networkCuts: Fault = {
  name: 'client-network-cuts',
  description:
    'the network of the proxied apps is cut for 2 s again and again (frozen, then reset): every message still delivered, live ones in order',
  async run(ctx) {
    const fleet = await ensureFleet(ctx);
    const s = sizes(ctx);
    const end = Date.now() + s.cutsMs;
    let frozen = 0;
    let reset = 0;
    const resetBefore = fleet.proxies.reduce((n, p) => n + p.cutConnections, 0);
    while (Date.now() < end) {
      if ((frozen + reset) % 2 === 0) {
        for (const p of fleet.proxies) p.freeze();
        await sleep(s.cutMs);
        for (const p of fleet.proxies) p.thaw();
        frozen++;
      } else {
        for (const p of fleet.proxies) p.cut(s.cutMs);
        await sleep(s.cutMs);
        reset++;
      }
      await ctx.hold(s.betweenCutsMs);
    }
    const reconnectMs = await allConnected(ctx, ctx.config.recoverMs);
    return {
      frozenCuts: frozen,
      resetCuts: reset,
      connectionsReset: fleet.proxies.reduce((n, p) => n + p.cutConnections, 0) - resetBefore,
      lastReconnectMs: reconnectMs,
    };
  },
};
