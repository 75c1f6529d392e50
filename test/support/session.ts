import type { AgencySummary, MatterView } from '@xietong/shared';
import { connectSocket, type ClientSocket, type TestApp } from './app.js';
import { delegatedItemCode } from './fixtures.js';

export interface Listener {
  events: Map<string, unknown[]>;
  next<T>(event: string, pred: (p: T) => boolean): Promise<T>;
}

/**
 * Sign-ins, agency ids, socket listeners and matters for workflow tests over one running app.
 * Call `close()` in afterAll.
 */
export class Session {
  private readonly tokens = new Map<string, string>();
  private readonly sockets: ClientSocket[] = [];
  private agencies = new Map<string, AgencySummary>();

  constructor(readonly app: TestApp) {}

  async init(): Promise<this> {
    const list = await this.app.http.get<AgencySummary[]>('/api/agencies', await this.token('zfj.officer'));
    this.agencies = new Map(list.body.map((a) => [a.code, a]));
    return this;
  }

  async token(username: string): Promise<string> {
    let t = this.tokens.get(username);
    if (!t) {
      t = (await this.app.http.login(username)).accessToken;
      this.tokens.set(username, t);
    }
    return t;
  }

  id(code: string): string {
    return this.agencies.get(code)?.id ?? '';
  }

  async get<T = Record<string, unknown>>(username: string, path: string) {
    return this.app.http.get<T>(path, await this.token(username));
  }

  async post<T = Record<string, unknown>>(username: string, path: string, body: unknown = {}) {
    return this.app.http.post<T>(path, body, await this.token(username));
  }

  /** Everything a user's socket receives, by event name, for assertions that wait. */
  async listen(username: string): Promise<Listener> {
    const socket = await connectSocket(this.app.url, await this.token(username));
    this.sockets.push(socket);
    const events = new Map<string, unknown[]>();
    socket.onAny((event: string, payload: unknown) => events.set(event, [...(events.get(event) ?? []), payload]));
    return {
      events,
      async next<T>(event: string, pred: (p: T) => boolean): Promise<T> {
        for (let i = 0; i < 600; i++) {
          const hit = (events.get(event) as T[] | undefined)?.find(pred);
          if (hit) return hit;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`${username} got no ${event} matching within 30 s; got ${JSON.stringify([...events.keys()])}`);
      },
    };
  }

  /** A matter opened by `username` on an item delegated to 龙洲街道. */
  async matter(username: string, flags: Partial<MatterView['flags']> = {}, township = 'XZ-LZ'): Promise<MatterView> {
    const res = await this.post<MatterView>(username, '/api/matters', {
      itemCode: await delegatedItemCode(this.app.http, await this.token('zfj.officer')),
      township,
      place: '龙洲街道荣昌大道与龙翔路交叉口',
      party: { kind: 'company', name: '龙游县恒达建材有限公司', idNumber: '91330825MA2A1B3C4D' },
      procedure: 'general',
      flags,
      summary: '当事人在道路旁违规堆放建筑材料，经责令改正拒不整改。',
    });
    if (res.status !== 201) throw new Error(`matter: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  close(): void {
    this.sockets.forEach((s) => s.close());
  }
}

/** The field names of a 400 body. */
export const fieldsOf = (body: unknown): string[] =>
  ((body as { details?: { field: string }[] }).details ?? []).map((d) => d.field).sort();

/** The state and allowed actions of a 409 body. */
export const conflictOf = (body: unknown): { state?: string; allowed: string[] } => {
  const details = (body as { details?: { field: string; message: string }[] }).details ?? [];
  return {
    state: details.find((d) => d.field === 'state')?.message,
    allowed: (details.find((d) => d.field === 'allowedActions')?.message ?? '').split(',').filter(Boolean),
  };
};

/** The details of an error body. */
export const detailsOf = (body: unknown): { field: string; message: string }[] =>
  (body as { details?: { field: string; message: string }[] }).details ?? [];
