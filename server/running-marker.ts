import fs from 'node:fs';

/**
 * `<database>.server.json` beside a SQLite database while a server uses it: `restore` refuses to
 * replace a database under a running server. A marker left by a killed server names a process
 * that no longer exists and is ignored.
 */
export interface RunningMarker {
  pid: number;
  url: string;
  startedAt: string;
  version: string;
}

const markerFile = (databaseFile: string) => `${databaseFile}.server.json`;

export function writeRunningMarker(databaseFile: string, marker: RunningMarker): void {
  fs.writeFileSync(markerFile(databaseFile), `${JSON.stringify(marker)}\n`);
}

/** Removes the marker if it is this process's (another server may have started on the file since). */
export function removeRunningMarker(databaseFile: string): void {
  if (findRunningServer(databaseFile)?.pid === process.pid) fs.rmSync(markerFile(databaseFile), { force: true });
}

/** The server using the database, if its process is alive. */
export function findRunningServer(databaseFile: string): RunningMarker | undefined {
  let marker: RunningMarker;
  try {
    marker = JSON.parse(fs.readFileSync(markerFile(databaseFile), 'utf8')) as RunningMarker;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(marker.pid) || marker.pid <= 0) return undefined;
  try {
    process.kill(marker.pid, 0); // signal 0: only asks whether the process exists
    return marker;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? marker : undefined;
  }
}
