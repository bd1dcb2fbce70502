// Checkpoints a SQLite database's WAL from a thread of its own while an import writes to it (see
// `backgroundCheckpoints` in job.ts). Plain JavaScript: it needs nothing but better-sqlite3.
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require('better-sqlite3');

const db = new SQLite(workerData.file);
// PASSIVE never waits for readers or the writer: it copies what it can and returns.
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
