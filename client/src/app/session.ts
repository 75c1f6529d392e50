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

  /** Rotates the refresh token. `spent`: the token the caller saw (a 401 means its access token is dead). */
  refresh(spent = this.stored?.refreshToken): Promise<string | null> {
    this.refreshing ??= this.exclusive(() => this.rotate(spent)).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async rotate(spent: string | undefined): Promise<string | null> {
    const latest = read();
    // Another tab rotated it while we waited: use what it got.
    if (latest && latest.refreshToken !== spent && latest.expiresAt - Date.now() > EARLY_MS) {
      this.stored = latest;
      return latest.accessToken;
    }
    if (!latest) {
      this.save(null);
      return null;
    }
    const res = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: latest.refreshToken }),
    }).catch(() => null);
    if (!res) return latest.accessToken; // offline: keep the session, the caller's request will fail and be retried
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
