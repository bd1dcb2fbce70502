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
  custom_code_changes: CustomCodeChangeTable;
  custom_code_errors: CustomCodeErrorTable;
  selector_health: SelectorHealthTable;
  portal_tracking: PortalTrackingTable;
  portal_privacy: PortalPrivacyTable;
  contact_erasures: ContactErasureTable;
  ingest_drops: IngestDropTable;
  imports: ImportTable;
  import_errors: ImportErrorTable;
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
  /** 1 while the event is paused: kept, but left out of the tracker's config and custom code. */
  paused: Generated<number>;
  /** JavaScript of a CUSTOM_SCRIPT event, served to the site in `/t/{portalId}/custom.js`. */
  custom_code: string | null;
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

/** Each change of an event's custom code: which API key changed it, when, to what. */
export interface CustomCodeChangeTable {
  id: Generated<number>;
  definition_id: number;
  /** The definition's version after the change. */
  version: number;
  code: string | null;
  api_key_id: number | null;
  changed_at: string;
}

/** Errors custom code threw on the site, counted per day, page path and error name. */
export interface CustomCodeErrorTable {
  definition_id: number;
  /** UTC date, YYYY-MM-DD. */
  day: string;
  path: string;
  error_name: string;
  count: number;
  last_message: string;
  last_at: number;
}

/** Selector health of a click definition on one page path and UTC day (issue 9). */
export interface SelectorHealthTable {
  definition_id: number;
  day: string;
  path: string;
  page_views: number;
  matched: number;
  via_fallback: number;
  via_fingerprint: number;
  last_matched_at: number | null;
  last_missed_at: number | null;
}

/** A portal's tracking settings; no row means the defaults. */
export interface PortalTrackingTable {
  portal_id: number;
  health_sample_rate: number;
  updated_at: string;
}

/** A portal's privacy settings (issue 17); no row means the defaults. */
export interface PortalPrivacyTable {
  portal_id: number;
  /** none | required | cookieless */
  consent_mode: string;
  /** Completions older than this many months are deleted; null keeps them. */
  retention_months: number | null;
  respect_dnt: number;
  keep_bots: number;
  updated_at: string;
}

/** That a contact was erased, and when: never who or what. */
export interface ContactErasureTable {
  id: Generated<number>;
  portal_id: number;
  /** id | email: how the erasure was asked for. */
  requested_by: string;
  erased_at: string;
}

/** Completions the collect endpoint dropped without storing, counted per UTC day and reason. */
export interface IngestDropTable {
  portal_id: number;
  /** YYYY-MM-DD (UTC). */
  day: string;
  reason: string;
  count: number;
}

export type PortalRow = Selectable<PortalTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type EventDefinitionRow = Selectable<EventDefinitionTable>;
export type NewEventDefinitionRow = Insertable<EventDefinitionTable>;
export type EventPropertyRow = Selectable<EventPropertyTable>;
export type ContactRow = Selectable<ContactTable>;
export type CompletionRow = Selectable<CompletionTable>;
export type NewCompletionRow = Insertable<CompletionTable>;

/** A spreadsheet import: its upload, its plan once started, and its committed progress (see 005-imports). */
export interface ImportTable {
  id: string;
  portal_id: number;
  status: string;
  file_name: string;
  file_type: string;
  file_path: string;
  owns_file: number;
  size_bytes: number;
  header_language: string;
  columns_json: string;
  event_name: string | null;
  plan_json: string | null;
  rows_read: Generated<number>;
  rows_imported: Generated<number>;
  rows_rejected: Generated<number>;
  last_row: Generated<number>;
  progress: Generated<number>;
  run_started_at: number | null;
  run_rows_start: Generated<number>;
  heartbeat_at: number | null;
  rollback: Generated<number>;
  rolled_back: Generated<number>;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** One problem of one rejected import row (a row can have several). */
export interface ImportErrorTable {
  import_id: string;
  row_number: number;
  seq: number;
  column_name: string;
  value: string;
  reason: string;
}

export type ImportRow = Selectable<ImportTable>;
