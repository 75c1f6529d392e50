import type { Fault } from '../fault.js';
import { clientFaults } from './clients.js';
import { serverFaults } from './server.js';

/** Every fault, in the order they run (`alone` faults first, before the load starts). */
export const FAULTS: Fault[] = [...serverFaults, ...clientFaults];
