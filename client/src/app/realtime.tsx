import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  HandshakeError,
  SocketEvent,
  type ClientToServerEvents,
  type ClockChangedEvent,
  type ReferralChangedEvent,
  type ServerEventName,
  type ServerEventPayload,
  type ServerToClientEvents,
} from '@xietong/shared';
import { ChannelStore } from '../channels/store.js';
import { keys } from './api.js';
import { session } from './session.js';

/** The socket wrapper: the shared event map typed both ways, and what each event invalidates. */
export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** connecting: never connected yet; reconnecting: lost it; back: just restored (shown briefly); live. */
export type Connection = 'connecting' | 'live' | 'reconnecting' | 'back';

const BACK_SHOWN_MS = 3000;
/** Outbox event ids already applied: the server may deliver one twice (at-least-once). */
const SEEN_LIMIT = 500;

function invalidateReferral(qc: QueryClient, e: { referralId: string; matterId: string }): void {
  void qc.invalidateQueries({ queryKey: keys.referrals });
  void qc.invalidateQueries({ queryKey: keys.referral(e.referralId) });
  void qc.invalidateQueries({ queryKey: keys.matter(e.matterId) });
  void qc.invalidateQueries({ queryKey: keys.notifications });
}

export function connect(qc: QueryClient, onConnection: (c: Connection) => void): AppSocket {
  const seen: number[] = [];
  const fresh = (eventId: number): boolean => {
    if (seen.includes(eventId)) return false;
    seen.push(eventId);
    if (seen.length > SEEN_LIMIT) seen.shift();
    return true;
  };
  const socket: AppSocket = io({
    transports: ['websocket'],
    // Called on every (re)connection attempt, so a reconnect after a long idle presents a live token.
    auth: (cb) => {
      void session.accessToken().then((token) => cb({ token: token ?? '' }));
    },
  });
  let everConnected = false;
  let backTimer: ReturnType<typeof setTimeout> | undefined;

  socket.on('connect', () => {
    if (!everConnected) {
      everConnected = true;
      onConnection('live');
      return;
    }
    // Whatever happened while we were away: refetch everything on screen.
    void qc.invalidateQueries();
    onConnection('back');
    clearTimeout(backTimer);
    backTimer = setTimeout(() => onConnection('live'), BACK_SHOWN_MS);
  });
  socket.on('disconnect', () => {
    if (everConnected) onConnection('reconnecting');
  });
  socket.on('connect_error', (err) => {
    if (everConnected) onConnection('reconnecting');
    // A refused handshake is not retried by socket.io itself: refresh the token and try again.
    if (!socket.active && err.message === HandshakeError.InvalidToken) {
      void session.refresh().then((token) => {
        if (token) socket.connect();
      });
    }
  });
  socket.on(SocketEvent.SessionRevoked, () => session.clear());
  socket.on(SocketEvent.CatalogueChanged, () => void qc.invalidateQueries({ queryKey: keys.catalogue }));

  const onReferral = (e: ReferralChangedEvent) => {
    if (fresh(e.eventId)) invalidateReferral(qc, e);
  };
  socket.on(SocketEvent.ReferralDelivered, onReferral);
  socket.on(SocketEvent.ReferralChanged, onReferral);
  socket.on(SocketEvent.ClockChanged, (e: ClockChangedEvent) => {
    if (fresh(e.eventId)) invalidateReferral(qc, e);
  });
  const onWorkflow = (e: { eventId: number; matterId: string }) => {
    if (!fresh(e.eventId)) return;
    void qc.invalidateQueries({ queryKey: keys.workflows });
    void qc.invalidateQueries({ queryKey: keys.matter(e.matterId) });
    void qc.invalidateQueries({ queryKey: keys.notifications });
  };
  for (const ev of [
    SocketEvent.ReviewChanged,
    SocketEvent.InterviewChanged,
    SocketEvent.DisputeChanged,
    SocketEvent.EnforcementChanged,
    SocketEvent.WorkflowClockChanged,
    SocketEvent.DisputeOpened,
  ] as const) {
    socket.on(ev, onWorkflow);
  }
  return socket;
}

const ConnectionContext = createContext<Connection>('connecting');
const ChannelContext = createContext<ChannelStore | null>(null);
const SocketContext = createContext<AppSocket | null>(null);

/** Holds the socket for the signed-in user; closes it on sign-out. */
export function RealtimeProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const qc = useQueryClient();
  const [connection, setConnection] = useState<Connection>('connecting');
  const [channels, setChannels] = useState<ChannelStore | null>(null);
  const [socket, setSocket] = useState<AppSocket | null>(null);
  useEffect(() => {
    setConnection('connecting');
    const socket = connect(qc, setConnection);
    const store = new ChannelStore(socket, qc);
    setChannels(store);
    setSocket(socket);
    return () => {
      store.close();
      socket.removeAllListeners();
      socket.close();
    };
  }, [qc, userId]);
  return (
    <ConnectionContext.Provider value={connection}>
      <ChannelContext.Provider value={channels}>
        <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>
      </ChannelContext.Provider>
    </ConnectionContext.Provider>
  );
}

export const useConnection = (): Connection => useContext(ConnectionContext);

/** Calls `handler` for each `event` the server sends while the calling screen is mounted. */
export function useServerEvent<E extends ServerEventName>(event: E, handler: (payload: ServerEventPayload<E>) => void) {
  const socket = useContext(SocketContext);
  // The latest handler, so a re-render does not re-subscribe (and miss nothing in between).
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = ((payload: ServerEventPayload<E>) => latest.current(payload)) as ServerToClientEvents[E];
    (socket as Socket).on(event, listener as never);
    return () => void (socket as Socket).off(event, listener as never);
  }, [socket, event]);
}

/** The conversations of this session (null for the moment before the socket exists). */
export function useChannelStore(): ChannelStore | null {
  const store = useContext(ChannelContext);
  useSyncExternalStore(store?.subscribe ?? noSubscribe, store?.snapshot ?? zero);
  return store;
}
const noSubscribe = () => () => undefined;
const zero = () => 0;
