/**
 * Per-socket event limits: a token bucket per socket, and the point at which a socket that keeps
 * flooding is cut off. Pure: the socket layer keeps one state per socket and asks for a verdict
 * on every incoming event.
 */
export interface FloodLimits {
  /** tokens added per second (steady events per second allowed) */
  ratePerSecond: number;
  /** bucket size: events allowed at once after a quiet spell */
  burst: number;
  /** a socket dropping events this long without a pause is disconnected */
  disconnectAfterMs: number;
}

export interface FloodState {
  tokens: number;
  /** when `tokens` was last brought up to date */
  at: number;
  /** start of the current run of dropped events, or null while the socket behaves */
  floodingSince: number | null;
  lastDropAt: number;
}

/**
 * pass: handle the event. drop: refuse it (error ack), the socket stays. disconnect: the
 * socket has been flooding for `disconnectAfterMs` and is closed.
 */
export type FloodVerdict = 'pass' | 'drop' | 'disconnect';

/** A gap this long without a dropped event ends a flood run: a client that paused is not a flooder. */
export const FLOOD_PAUSE_MS = 1_000;

export function freshFloodState(limits: FloodLimits, now: number): FloodState {
  return { tokens: limits.burst, at: now, floodingSince: null, lastDropAt: 0 };
}

/** One incoming event: the verdict, and the socket's next state. */
export function admitEvent(
  state: FloodState,
  now: number,
  limits: FloodLimits,
): { verdict: FloodVerdict; state: FloodState } {
  // A clock that went backwards adds nothing rather than taking tokens away.
  const elapsed = Math.max(0, now - state.at);
  const tokens = Math.min(limits.burst, state.tokens + (elapsed * limits.ratePerSecond) / 1000);
  if (tokens >= 1) {
    const calm = state.floodingSince !== null && now - state.lastDropAt >= FLOOD_PAUSE_MS;
    return {
      verdict: 'pass',
      state: { ...state, tokens: tokens - 1, at: now, floodingSince: calm ? null : state.floodingSince },
    };
  }
  const continues = state.floodingSince !== null && now - state.lastDropAt < FLOOD_PAUSE_MS;
  const floodingSince = continues ? (state.floodingSince ?? now) : now;
  const next: FloodState = { tokens, at: now, floodingSince, lastDropAt: now };
  return { verdict: now - floodingSince >= limits.disconnectAfterMs ? 'disconnect' : 'drop', state: next };
}

/**
 * Which of a user's sockets on this node to close so that at most `max` remain, oldest first:
 * a client reconnecting after a network cut always gets in, and the sockets it left behind
 * (half-open until their ping times out) are the ones that go.
 */
export function socketsOverCap(oldestFirst: readonly string[], max: number): string[] {
  return oldestFirst.slice(0, Math.max(0, oldestFirst.length - max));
}
