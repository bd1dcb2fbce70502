/**
 * `npm run server` (backend alone), `npm start` (`--demo`: also the demo site, allowed to send events),
 * `npm run server -- keys ...`.
 */
import path from 'node:path';
import { runBackupCommand, runRestoreCommand } from './cli/backup';
import { runKeysCommand } from './cli/keys';
import { runOriginsCommand } from './cli/origins';
import { loadConfig } from './config';
import { log } from './log';
import { startServer } from './server';
import { openDatabase } from './storage/database';
import { CLICKTRAIL_VERSION } from './version';

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  // Before opening the database: a backup must not migrate it, a restore replaces it.
  if (argv[0] === 'backup') return runBackupCommand(config.database, argv.slice(1));
  if (argv[0] === 'restore') return runRestoreCommand(config.database, argv.slice(1));
  const command = argv[0] === 'keys' ? runKeysCommand : argv[0] === 'origins' ? runOriginsCommand : undefined;
  if (command) {
    const { db } = await openDatabase(config.database);
    try {
      return await command(db, argv.slice(1));
    } finally {
      await db.destroy();
    }
  }
  if (argv.length > 0 && !argv.every((arg) => arg === '--demo')) {
    console.error(
      `Unknown arguments: ${argv.join(' ')}\nUsage: npm run server [-- --demo | keys create|list|revoke | origins add|list|remove | backup <file> | restore <file>]`,
    );
    return 2;
  }

  const demo = argv.includes('--demo');
  const server = await startServer(config, { demo });
  const lines = [
    '',
    `Clicktrail server listening on ${server.url}`,
    `Database: ${server.database.kind} (${server.database.describe})`,
    server.bootstrap.newKey
      ? `API key (shown once, store it now): ${server.bootstrap.newKey}`
      : 'API key: created on the first start; make another with `npm run server -- keys create`.',
  ];
  if (demo) {
    const root = process.cwd();
    lines.push(
      `Demo site: ${server.url}/demo/`,
      `Demo: while this server runs, pages of ${server.demoOrigins.join(' and ')} may send events to portal ${server.bootstrap.portal.id} (--demo only; your sites need: npm run server -- origins add <origin>).`,
      '',
      'Load the extension:',
      `  Chrome:  chrome://extensions → Developer mode → Load unpacked → ${path.join(root, '.output/chrome-mv3')}`,
      `  Firefox: about:debugging#/runtime/this-firefox → Load Temporary Add-on → ${path.join(root, '.output/firefox-mv2/manifest.json')}`,
      `Then open ${server.url}/demo/ , click the Clicktrail icon, connect with the URL ${server.url} and the API key, and choose "Track clicked element".`,
    );
  }
  console.log(lines.join('\n'));
  log('info', 'server started', { version: CLICKTRAIL_VERSION, url: server.url, database: server.database.kind });

  const shutdown = (signal: NodeJS.Signals) => {
    log('info', 'server stopping', { signal });
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Clicktrail server failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
