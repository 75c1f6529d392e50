import { createServer, type IncomingMessage, type Server } from 'node:http';
import { freePort } from './app.js';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on this machine: answers with the statuses given, in turn, then 200. */
export async function webhookReceiver(
  statuses: number[] = [],
): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => new Promise((ok) => server.close(() => ok())) };
}
