import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * Half-open connections, as a server sees them when a client's network dies: raw TCP sockets
 * that stop speaking at some point of the handshake and never answer again. Each resolves once
 * it reached its point, and tells when the server closed it.
 */
export interface HalfOpen {
  /** how far it got before going silent */
  stage: 'tcp' | 'websocket' | 'socket.io';
  /** settles when the server closed the connection */
  closed: Promise<void>;
  isClosed(): boolean;
  destroy(): void;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

function track(socket: Socket, stage: HalfOpen['stage']): HalfOpen {
  let done = false;
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      done = true;
      resolve();
    }),
  );
  socket.on('error', () => undefined); // a reset is a close too
  return { stage, closed, isClosed: () => done, destroy: () => socket.destroy() };
}

/** Opens a TCP connection and never sends a byte. */
export async function silentTcp(port: number): Promise<HalfOpen> {
  return track(await open(port), 'tcp');
}

/**
 * Upgrades to a Socket.IO WebSocket, then goes silent: without a token it never connects to the
 * namespace; with one it connects (authenticated) and then never answers a ping.
 */
export async function silentWebSocket(port: number, token?: string): Promise<HalfOpen> {
  const socket = await open(port);
  const handle = track(socket, token ? 'socket.io' : 'websocket');
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no upgrade: ${seen.slice(0, 200)}`)), 10_000);
    const onData = (d: Buffer) => {
      seen += d.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      if (!seen.startsWith('HTTP/1.1 101')) {
        clearTimeout(timer);
        reject(new Error(`upgrade refused: ${seen.slice(0, 200)}`));
        return;
      }
      if (token && !connected) {
        connected = true;
        socket.write(textFrame(`40${JSON.stringify({ token })}`));
      }
      if (seen.includes('44{')) {
        clearTimeout(timer);
        reject(new Error(`connect refused: ${seen.slice(seen.indexOf('44{'), 200)}`));
        return;
      }
      // Without a token: the engine's open packet is enough. With one: the namespace's answer.
      if (!token || seen.includes('40{"sid"')) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve();
      }
    };
    let connected = false;
    socket.on('data', onData);
    void handle.closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`closed during the handshake: ${seen.slice(0, 200)}`));
    });
  });
  // From here on nothing is answered (pings included); what arrives is read and dropped, so the
  // server's close is still seen.
  socket.resume();
  return handle;
}

/** One masked WebSocket text frame (every client frame is masked, RFC 6455 §5.3). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const len = payload.length;
  const head =
    len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, (len >> 8) & 0xff, len & 0xff]);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([head, mask, body]);
}
