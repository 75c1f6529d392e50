import { defineEntity, p } from '@mikro-orm/core';

/**
 * Markers of system work done once or now and then: the demo activity generated (so it never
 * runs twice), the statistics rollup last refreshed. Keyed by name; never deleted.
 */
export const SystemMarkerSchema = defineEntity({
  name: 'SystemMarker',
  tableName: 'system_marker',
  properties: {
    key: p.string().length(64).primary(),
    at: p.datetime(),
    detail: p.json<Record<string, unknown>>(),
  },
});
export class SystemMarker extends SystemMarkerSchema.class {}
SystemMarkerSchema.setClass(SystemMarker);
