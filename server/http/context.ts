import type { Kysely } from 'kysely';
import type { CompletionWriter } from '../storage/completions';
import type { Database } from '../storage/schema';
import type { WorkflowEngine } from '../workflows/engine';

/** Variables Hono carries through a request. */
export interface AppEnv {
  Variables: {
    correlationId: string;
    /** Set by the auth middleware on authenticated routes. */
    portalId: number;
    /** Set by the auth middleware: the API key making the request (recorded in change histories). */
    apiKeyId: number;
  };
}

export interface AppDeps {
  db: Kysely<Database>;
  /** One per database, so API sends and tracker events share group commits. */
  writer: CompletionWriter;
  /** Runs workflows; routes use its URL policy, clock and delivery actions. */
  workflows: WorkflowEngine;
}
