import { useSyncExternalStore } from 'react';
import { TokenPair, type Me } from '@xietong/shared';

/**
 * The signed-in session: tokens in localStorage so a reload keeps the user signed in. Refreshing
 * rotates the refresh token and the server revokes the whole session if an old one is presented
 * again, so refreshes are single-flight within a tab and serialised across tabs (Web Locks): a tab
 * that waited adopts the token another tab just obtained instead of spending the old one.
 */
interface Stored {
  accessToken: string;
  refreshToken: string;
  /** epoch ms */
  expiresAt: number;
  user: Me;
}

const KEY = 'xt.session';
/** Refresh a little before the access token expires, so a request never leaves with a dying token. */
const EARLY_MS = 30_000;

function read(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

type Listener = () => void;

class Session {
  private stored: Stored | null = read();
  private readonly listeners = new Set<Listener>();
  private refreshing: Promise<string | null> | null = null;
  /** Bumped on every sign-in, rotation and sign-out. */
  private generation = 0;

  constructor() {
    // Another tab signed in, refreshed or signed out.
    window.addEventListener('storage', (e) => {
      if (e.key !== KEY) return;
      this.stored = read();
      this.emit();
    });
  }

  get user(): Me | null {
    return this.stored?.user ?? null;
  }

  get refreshToken(): string | null {
    return this.stored?.refreshToken ?? null;
  }

  subscribe = (fn: Listener): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  snapshot = (): Me | null => this.user;

  signedIn(pair: TokenPair): void {
    this.save({
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: Date.now() + pair.accessTokenExpiresIn * 1000,
      user: pair.user,
    });
  }

  clear(): void {
    this.save(null);
  }

  /** An access token that is good for a while yet, refreshing first when needed; null when signed out. */
  async accessToken(): Promise<string | null> {
    const s = this.stored;
    if (!s) return null;
    if (s.expiresAt - Date.now() > EARLY_MS) return s.accessToken;
    return this.refresh(s.refreshToken);
  }

  /**
   * Rotates the refresh token. `failed`: the access token a request was refused with (absent: the
   * current one is about to expire). A token already replaced, here or in another tab, is not rotated again.
   */
  refresh(failed?: string): Promise<string | null> {
    this.refreshing ??= this.exclusive(() => this.rotate(failed)).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async rotate(failed: string | undefined): Promise<string | null> {
    const latest = read();
    if (!latest) {
      this.save(null);
      return null;
    }
    const stale = failed ?? this.stored?.accessToken;
    if (latest.accessToken !== stale && latest.expiresAt - Date.now() > EARLY_MS) {
      this.stored = latest;
      return latest.accessToken;
    }
    const generation = this.generation;
    const res = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: latest.refreshToken }),
    }).catch(() => null);
    // Signed out (or in as someone else) meanwhile: the answer belongs to a session that is over.
    if (generation !== this.generation) return this.stored?.accessToken ?? null;
    if (!res) return latest.accessToken; // offline: keep the session; the request fails and is retried later
    if (!res.ok) {
      this.save(null);
      return null;
    }
    const pair = TokenPair.parse(await res.json());
    this.signedIn(pair);
    return pair.accessToken;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? locks.request('xt.session.refresh', fn) : fn();
  }

  private save(next: Stored | null): void {
    const changedUser = (this.stored?.user.id ?? null) !== (next?.user.id ?? null);
    this.stored = next;
    this.generation++;
    if (next) localStorage.setItem(KEY, JSON.stringify(next));
    else localStorage.removeItem(KEY);
    if (changedUser || !next) this.emit();
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}

export const session = new Session();

/** The signed-in user, for screens inside the shell (which only renders while signed in). */
export function useMe(): Me {
  const me = useSyncExternalStore(session.subscribe, session.snapshot);
  if (!me) throw new Error('not signed in');
  return me;
}
