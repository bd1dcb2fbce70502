/** The background's handlers of the Contact view's export, erasure and enrolment requests, and ingest statistics. */
import type { z } from 'zod';
import type { ContactResponses, contactRequestSchemas } from '../messaging';
import type { BackendClient } from './client';

type ContactHandlers = {
  [K in keyof typeof contactRequestSchemas]: (
    payload: z.output<(typeof contactRequestSchemas)[K]>,
  ) => Promise<ContactResponses[K]>;
};

export function contactHandlers(client: () => Promise<BackendClient>): ContactHandlers {
  return {
    'contacts/export': async ({ contactId }) => (await client()).exportContact(contactId),
    'contacts/erase': async ({ contactId }) => {
      await (await client()).eraseContact(contactId);
      return { erased: true };
    },
    'contacts/enrolments': async ({ contactId }) => (await client()).contactEnrolments(contactId),
    'privacy/ingest-stats': async ({ days }) => (await client()).ingestStats(days),
  };
}
