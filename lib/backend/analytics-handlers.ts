/** The background's handlers of the Analyze and Contact views' requests (analytics API, contact timeline). */
import type { z } from 'zod';
import type { AnalyticsResponses, analyticsRequestSchemas } from '../messaging';
import type { BackendClient } from './client';

type AnalyticsHandlers = {
  [K in keyof typeof analyticsRequestSchemas]: (
    payload: z.output<(typeof analyticsRequestSchemas)[K]>,
  ) => Promise<AnalyticsResponses[K]>;
};

export function analyticsHandlers(client: () => Promise<BackendClient>): AnalyticsHandlers {
  return {
    'analytics/series': async (query) => (await client()).series(query),
    'analytics/breakdown': async (query) => (await client()).breakdown(query),
    'analytics/funnel': async (query) => (await client()).funnel(query),
    'contacts/find': async ({ email }) => (await client()).findContact({ email }),
    'contacts/timeline': async (query) => (await client()).timeline(query),
  };
}
