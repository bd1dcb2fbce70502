import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { completionListSchema, eventDefinitionListSchema, trackerConfigSchema } from '../../lib/shared';
import { startServer, type RunningServer } from '../../server/server';
import { appliedMigrations, knownMigrations } from '../../server/storage/schema-level';
import { rawConnection } from '../support/raw-connection';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { DATABASE_KINDS } from '../support/test-server';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/upgrade');

/** What `make-fixtures.ts` wrote beside each fixture: made by that release's own code. */
interface Fixture {
  release: string;
  apiKey: { sqlite: string; postgres: string };
  portalId: number;
  origins: string[];
  definitions: { active: string[]; archived: string[]; labels: Record<string, string> };
  completions: string[];
}

const RELEASES = ['0.1.0'];
/** The migrations each previous release had applied. */
const RELEASE_MIGRATIONS: Record<string, string[]> = {
  '0.1.0': ['001-initial', '002-completions', '003-portal-origins'],
};

/** A scratch database holding the old release's data, untouched by the current code. */
async function restoreFixture(kind: 'sqlite' | 'postgres', release: string): Promise<ScratchDatabase> {
  const database = await scratchDatabase(kind);
  if (database.config.kind === 'sqlite') {
    fs.copyFileSync(path.join(FIXTURES, `${release}.sqlite`), database.config.file);
  } else {
    const client = new pg.Client({ connectionString: database.config.url });
    await client.connect();
    try {
      await client.query(fs.readFileSync(path.join(FIXTURES, `${release}.postgres.sql`), 'utf8'));
    } finally {
      await client.end();
    }
  }
  return database;
}

describe.each(DATABASE_KINDS)('upgrading a database made by an earlier release, on %s', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it.each(RELEASES)('from %s: every migration applies and the data is all there and usable', async (release) => {
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${release}.json`), 'utf8')) as Fixture;
    const database = await restoreFixture(kind, release);
    cleanup.push(() => database.dispose());

    let server: RunningServer | undefined = await startServer({
      port: 0,
      host: '127.0.0.1',
      database: database.config,
    });
    cleanup.push(async () => {
      await server?.close();
    });
    // (The fixture's level is checked on a copy: the server has migrated this one already.)
    expect(await appliedMigrations(server.database.db)).toEqual(await knownMigrations());
    expect(server.bootstrap.newKey).toBeUndefined(); // the old portal and key are used, no new ones made

    const headers = { Authorization: `Bearer ${fixture.apiKey[kind]}`, 'Content-Type': 'application/json' };
    const get = async (pathname: string) => {
      const response = await fetch(server!.url + pathname, { headers });
      expect(response.status, pathname).toBe(200);
      return response.json() as Promise<unknown>;
    };

    // Definitions: active and archived ones, with the edits made under the old release.
    const all = eventDefinitionListSchema.parse(await get('/events/v3/event-definitions?includeArchived=true'));
    const names = (archived: boolean) =>
      all.results
        .filter((definition) => definition.archived === archived)
        .map((definition) => definition.name)
        .sort();
    expect(names(false)).toEqual(fixture.definitions.active);
    expect(names(true)).toEqual(fixture.definitions.archived);
    for (const [name, label] of Object.entries(fixture.definitions.labels)) {
      expect(all.results.find((definition) => definition.name === name)?.labels.singular).toBe(label);
    }
    const cart = all.results.find((definition) => definition.name === 'added_to_cart')!;
    expect(cart.properties.map((property) => property.name)).toEqual(expect.arrayContaining(['sku', 'size']));

    // Every completion the old release stored.
    const stored: string[] = [];
    let after: string | undefined;
    do {
      const page = completionListSchema.parse(
        await get(`/events/v3/events?limit=100${after ? `&after=${after}` : ''}`),
      );
      stored.push(...page.results.map((result) => result.id));
      after = page.paging?.next?.after;
    } while (after);
    expect(stored).toHaveLength(fixture.completions.length);

    // The allowed site origin still gets the tracker's config.
    const config = await fetch(`${server.url}/t/${fixture.portalId}/config`, {
      headers: { Origin: fixture.origins[0]! },
    });
    expect(config.status).toBe(200);
    expect(
      trackerConfigSchema
        .parse(await config.json())
        .definitions.map((definition) => definition.name)
        .sort(),
    ).toEqual(['added_to_cart', 'pricing_viewed']);

    // And the upgraded database takes new writes, then survives a restart.
    const sent = await fetch(`${server.url}/events/v3/send`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ eventName: `pe${fixture.portalId}_signed_up`, email: 'new@example.com', properties: {} }),
    });
    expect(sent.status).toBe(204);
    await server.close();
    server = await startServer({ port: 0, host: '127.0.0.1', database: database.config });
    const page = completionListSchema.parse(await get('/events/v3/events?limit=500'));
    expect(page.results).toHaveLength(fixture.completions.length + 1);
  });

  it.each(RELEASES)('the %s fixture is at that release’s schema level (made by its code)', async (release) => {
    const database = await restoreFixture(kind, release);
    cleanup.push(() => database.dispose());
    const db = rawConnection(database.config);
    try {
      expect(await appliedMigrations(db)).toEqual(RELEASE_MIGRATIONS[release]);
    } finally {
      await db.destroy();
    }
  });
});
