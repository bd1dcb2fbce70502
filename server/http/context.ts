import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';

/** Variables Hono carries through a request. */
export interface AppEnv {
  Variables: {
    correlationId: string;
    /** Set by the auth middleware on authenticated routes. */
    portalId: number;
  };
}

export interface AppDeps {
  db: Kysely<Database>;
}
