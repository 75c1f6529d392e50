import type { Fault } from '../fault.js';

/** Faults of the client side (reconnect storms, network cuts, long absences, floods). */
export const clientFaults: Fault[] = [];
