import type { Fault } from '../fault.js';
import { socketFlood } from './client-flood.js';
import { networkCuts, reconnectStorm } from './client-network.js';
import { offlineClient } from './client-offline.js';

/** Faults of the client side (reconnect storms, network cuts, long absences, floods). */
export const clientFaults: Fault[] = [reconnectStorm, networkCuts, offlineClient, socketFlood];
