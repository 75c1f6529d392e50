import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Closes TCP connections that never complete a request: opened and left silent, or headers
 * trickled and never finished. Node's own timeouts only start with the first byte (and its
 * idle `server.timeout` would also cut long-polling requests), so a dead client that
 * connected and never spoke would otherwise hold its socket forever. A connection that sent a
 * whole request (or upgrade) in time is never touched by this; WebSockets have their pings.
 */
export function reapSilentConnections(server: Server, withinMs: number): void {
  const spoke = new WeakSet<Socket>();
  const mark = (req: { socket: Socket }) => spoke.add(req.socket);
  server.on('request', mark);
  server.on('upgrade', mark);
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => {
      if (!spoke.has(socket)) socket.destroy();
    }, withinMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}
