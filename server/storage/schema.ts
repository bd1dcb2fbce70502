import type { Generated, Insertable, Selectable } from 'kysely';
import type {
  ContactPropertyValueTable,
  WorkflowDeliveryTable,
  WorkflowEnrolmentTable,
  WorkflowHistoryTable,
  WorkflowOutboxTable,
  WorkflowTable,
  WorkflowWatchTable,
} from '../workflows/tables';

/** Table types shared by the SQLite and PostgreSQL adapters (one schema, one set of migrations). */
export interface Database {
  portals: PortalTable;
  api_keys: ApiKeyTable;
  event_definitions: EventDefinitionTable;
  event_properties: EventPropertyTable;
  portal_origins: PortalOriginTable;
  contacts: ContactTable;
  contact_utks: ContactUtkTable;
  completions: CompletionTable;
  workflows: WorkflowTable;
  workflow_watches: WorkflowWatchTable;
  workflow_outbox: WorkflowOutboxTable;
  workflow_enrolments: WorkflowEnrolmentTable;
  workflow_history: WorkflowHistoryTable;
  workflow_deliveries: WorkflowDeliveryTable;
  contact_property_values: ContactPropertyValueTable;
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

/** A contact that completions are associated with: identified by email, or anonymous (utk only). */
export interface ContactTable {
  id: Generated<number>;
  portal_id: number;
  /** Lower-cased; null for a visitor known only by a utk until an email is sent with it. */
  email: string | null;
  created_at: string;
}

/** A visitor's tracking cookie (`utk`) and the contact it resolves to. */
export interface ContactUtkTable {
  portal_id: number;
  utk: string;
  contact_id: number;
  created_at: string;
}

/** One event completion. Times are epoch milliseconds: integers sort and compare alike in both databases. */
export interface CompletionTable {
  id: Generated<number>;
  portal_id: number;
  definition_id: number;
  /** The definition's primary object: CONTACT, COMPANY, DEAL or TICKET. */
  object_type: string;
  /** The record's id: a contact id for CONTACT, as sent for the other objects. */
  object_id: string;
  occurred_at: number;
  /** The sender's idempotency key, unique per portal; null when none was sent. */
  uuid: string | null;
  /** JSON object of the checked property values. */
  properties_json: string;
  received_at: number;
}

export type PortalRow = Selectable<PortalTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type EventDefinitionRow = Selectable<EventDefinitionTable>;
export type NewEventDefinitionRow = Insertable<EventDefinitionTable>;
export type EventPropertyRow = Selectable<EventPropertyTable>;
export type ContactRow = Selectable<ContactTable>;
export type CompletionRow = Selectable<CompletionTable>;
export type NewCompletionRow = Insertable<CompletionTable>;
