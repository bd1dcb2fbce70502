import type { Generated } from 'kysely';

/** Table types of migration 007 (workflows); `server/storage/schema.ts` adds them to `Database`. */
export interface WorkflowTable {
  id: Generated<number>;
  portal_id: number;
  name: string;
  enabled: number;
  /** Epoch ms of the last time it was turned on; completions received before do not enrol. */
  enabled_at: number | null;
  reenrollment: number;
  /** JSON `WorkflowTrigger[]`. */
  triggers_json: string;
  /** JSON `WorkflowStep[]` (ids assigned). */
  steps_json: string;
  secret: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WorkflowWatchTable {
  workflow_id: number;
  definition_id: number;
}

/** A stored completion that enabled workflows listen to, written in the completion's transaction. */
export interface WorkflowOutboxTable {
  id: Generated<number>;
  completion_id: number;
}

export interface WorkflowEnrolmentTable {
  id: Generated<number>;
  portal_id: number;
  workflow_id: number;
  contact_id: number;
  once_key: number | null;
  completion_id: number;
  /** active | waiting | finished | unenrolled */
  status: string;
  /** The step to run next (or waited in); null once finished. */
  step_id: string | null;
  /** When the engine must look at it next; null when nothing is scheduled. */
  next_run_at: number | null;
  /** Random token of the engine run that holds a webhook delivery in flight. */
  claim_token: string | null;
  /** JSON `WaitState` while in a delay until an event. */
  wait_json: string | null;
  enrolled_at: number;
  finished_at: number | null;
}

export interface WorkflowHistoryTable {
  id: Generated<number>;
  enrolment_id: number;
  at: number;
  kind: string;
  step_id: string | null;
  detail: string | null;
}

export interface WorkflowDeliveryTable {
  id: Generated<number>;
  portal_id: number;
  workflow_id: number;
  enrolment_id: number;
  step_id: string;
  url: string;
  idempotency_key: string;
  payload_json: string;
  /** pending | retrying | succeeded | failed */
  status: string;
  attempts: number;
  response_status: number | null;
  latency_ms: number | null;
  error: string | null;
  next_attempt_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ContactPropertyValueTable {
  contact_id: number;
  name: string;
  value: string;
  updated_at: number;
}
