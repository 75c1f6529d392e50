import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HandshakeError, SocketEvent, type Me, type SocketAck } from '@xietong/shared';
import { bootApp, connectSocket, nextEvent, type ClientSocket, type TestApp } from '../support/app.js';

let app: TestApp;
const open: ClientSocket[] = [];
beforeAll(async () => {
  app = await bootApp();
});
afterAll(async () => {
  open.forEach((s) => s.close());
  await app?.close();
});

describe('socket handshake', () => {
  it('refuses a connection without a token', async () => {
    await expect(connectSocket(app.url)).rejects.toThrow(HandshakeError.MissingToken);
  });

  it('refuses a bad or revoked token', async () => {
    await expect(connectSocket(app.url, 'garbage')).rejects.toThrow(HandshakeError.InvalidToken);
    const pair = await app.http.login('zjj.liaison');
    await app.http.post('/api/auth/logout', undefined, pair.accessToken);
    await expect(connectSocket(app.url, pair.accessToken)).rejects.toThrow(HandshakeError.InvalidToken);
  });

  it('accepts a valid access token, greets the user and answers a ping', async () => {
    const pair = await app.http.login('zfj.liaison');
    const socket = await connectSocket(app.url, pair.accessToken).then((s) => (open.push(s), s));
    const welcome = await nextEvent<{ user: Me }>(socket, SocketEvent.Welcome).catch(() => undefined);
    // The welcome may arrive before the listener is attached; ping proves the session either way.
    if (welcome) expect(welcome.user.username).toBe('zfj.liaison');
    const ack = (await socket.timeout(3_000).emitWithAck(SocketEvent.Ping, {})) as SocketAck<{ serverTime: string }>;
    expect(ack).toEqual({ ok: true, data: { serverTime: expect.any(String) } });
  });

  it('refuses connections from a browser origin that is not on the allowlist, and accepts its own web app', async () => {
    const pair = await app.http.login('zfj.liaison');
    const res = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${pair.accessToken}` },
    });
    expect(res.status).toBe(403);
    const ok = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(ok.status).toBe(200);
    // The page the server itself served (any port, not on the list) talks to its own socket.
    const own = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: app.url } });
    expect(own.status).toBe(200);
    const lookalike = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: `${app.url}.evil.example` },
    });
    expect(lookalike.status).toBe(403);
  });
});

describe('revocation reaches open sockets', () => {
  it('disconnects the sockets of a session that signs out, and only those', async () => {
    const a = await app.http.login('gaj.liaison');
    const b = await app.http.login('gaj.liaison');
    const sa = await connectSocket(app.url, a.accessToken).then((s) => (open.push(s), s));
    const sb = await connectSocket(app.url, b.accessToken).then((s) => (open.push(s), s));
    const revoked = nextEvent<{ reason: string }>(sa, SocketEvent.SessionRevoked);
    const gone = new Promise<string>((ok) => sa.once('disconnect', (reason) => ok(reason)));
    expect((await app.http.post('/api/auth/logout', undefined, a.accessToken)).status).toBe(204);
    expect(await revoked).toEqual({ reason: 'logout' });
    expect(await gone).toBe('io server disconnect');
    const ack = (await sb.timeout(3_000).emitWithAck(SocketEvent.Ping, {})) as SocketAck<{ serverTime: string }>;
    expect(ack.ok).toBe(true);
    expect(sb.connected).toBe(true);
  });
});
