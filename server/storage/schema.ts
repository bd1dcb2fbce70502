import type { Generated, Insertable, Selectable } from 'kysely';

/** Table types shared by the SQLite and PostgreSQL adapters (one schema, one set of migrations). */
export interface Database {
  portals: PortalTable;
  api_keys: ApiKeyTable;
  event_definitions: EventDefinitionTable;
  event_properties: EventPropertyTable;
  portal_origins: PortalOriginTable;
}

export interface PortalTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

export interface ApiKeyTable {
  id: Generated<number>;
  portal_id: number;
  name: string;
  /** First characters of the key, shown in `keys list` so users can tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key; the key itself is never stored. */
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface EventDefinitionTable {
  id: Generated<number>;
  portal_id: number;
  name: string;
  label: string;
  description: string | null;
  primary_object: string;
  tracking_type: string;
  /** JSON of the `Trigger` (lib/shared), or null for API/script events. */
  trigger_json: string | null;
  archived: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EventPropertyTable {
  definition_id: number;
  name: string;
  label: string;
  type: string;
  description: string | null;
  /** JSON array of enumeration options. */
  options_json: string;
  created_at: string;
  updated_at: string;
}

export interface PortalOriginTable {
  portal_id: number;
  /** Normalised `scheme://host[:port]`, as browsers send it in the Origin header. */
  origin: string;
  created_at: string;
}

export type PortalRow = Selectable<PortalTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type EventDefinitionRow = Selectable<EventDefinitionTable>;
export type NewEventDefinitionRow = Insertable<EventDefinitionTable>;
export type EventPropertyRow = Selectable<EventPropertyTable>;
