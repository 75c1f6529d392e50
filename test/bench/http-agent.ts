import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * The load generator's HTTP side in a process of its own: the bench's server would otherwise
 * share its event loop (and, on 2 cores, its core) with every `fetch` it is measured by. The
 * parent keeps the pacing and the bookkeeping; this process only sends POSTs and says when each
 * one left and was answered, as wall-clock milliseconds (`performance.timeOrigin + now()`), which
 * the parent maps onto its own `performance.now()`.
 */

export interface AgentPost {
  kind: 'post';
  n: number;
  url: string;
  token: string;
  body: unknown;
}
export interface AgentReply {
  n: number;
  status: number;
  /** the answer's `id` and `state` (all the bench needs: the rest stays in this process) */
  id?: string;
  state?: string;
  /** the start of the answer when it was not a 201 */
  text?: string;
  error?: string;
  aborted?: boolean;
  sentAt: number;
  answeredAt: number;
}
type AgentMessage = AgentPost | { kind: 'abort' } | { kind: 'cpu' };

const wallNow = (): number => performance.timeOrigin + performance.now();

/** The parent's handle on the agent process. */
export class HttpAgent {
  private readonly waiting = new Map<number, (r: AgentReply) => void>();
  private cpuWaiting: ((us: number) => void) | undefined;
  private next = 0;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: AgentReply | { cpuUs: number }) => {
      if ('cpuUs' in m) {
        this.cpuWaiting?.(m.cpuUs);
        return;
      }
      const done = this.waiting.get(m.n);
      this.waiting.delete(m.n);
      done?.({ ...m, sentAt: m.sentAt - performance.timeOrigin, answeredAt: m.answeredAt - performance.timeOrigin });
    });
  }

  static start(): HttpAgent {
    return new HttpAgent(
      fork(fileURLToPath(import.meta.url), ['--agent'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
  }

  /** One POST; times on this process's `performance.now()` scale. */
  post(url: string, token: string, body: unknown): Promise<AgentReply> {
    const n = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(n, resolve);
      this.child.send({ kind: 'post', n, url, token, body } satisfies AgentPost);
    });
  }

  /** Gives up every outstanding request (they answer `aborted`). */
  abort(): void {
    this.child.send({ kind: 'abort' });
  }

  /** CPU the agent process used so far, in ms. */
  cpuMs(): Promise<number> {
    return new Promise((resolve) => {
      this.cpuWaiting = (us) => resolve(us / 1000);
      this.child.send({ kind: 'cpu' });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

/** The agent process: sends what it is told, answers with the times. */
function runAgent(): void {
  let controller = new AbortController();
  const send = (m: unknown) => process.send?.(m);
  process.on('message', (m: AgentMessage) => {
    if (m.kind === 'abort') {
      controller.abort();
      controller = new AbortController();
      return;
    }
    if (m.kind === 'cpu') {
      const u = process.cpuUsage();
      send({ cpuUs: u.user + u.system });
      return;
    }
    const signal = controller.signal;
    const sentAt = wallNow();
    void (async () => {
      try {
        const res = await fetch(m.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(m.body),
          signal,
        });
        const body = (await res.json()) as { id?: string; state?: string };
        const answeredAt = wallNow();
        send({
          n: m.n,
          status: res.status,
          id: body.id,
          state: body.state,
          ...(res.status === 201 ? {} : { text: JSON.stringify(body).slice(0, 200) }),
          sentAt,
          answeredAt,
        } satisfies AgentReply);
      } catch (e) {
        send({
          n: m.n,
          status: 0,
          error: String(e),
          aborted: signal.aborted,
          sentAt,
          answeredAt: wallNow(),
        } satisfies AgentReply);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[2] === '--agent') runAgent();
