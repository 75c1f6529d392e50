import { Agency } from '../agencies/agency.entity.js';
import { AuthSession, RefreshToken } from '../auth/session.entity.js';
import { BoundaryVersionRecord, EnforcementItem } from '../catalogue/catalogue.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity, listed once: discovery is explicit (no folder scanning, no reflection). */
export const ENTITIES = [Agency, User, AuthSession, RefreshToken, EnforcementItem, BoundaryVersionRecord];
