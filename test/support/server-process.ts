import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  process: ChildProcess;
  url: string;
  /** Printed on the first start of a database only. */
  key?: string;
  /** Sends SIGKILL (no clean-up of any kind) and waits for the exit. */
  kill(): Promise<void>;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `server/main.ts` as its own process (plain node + tsx, so SIGKILL hits the server itself). */
export function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const signal = async (name: NodeJS.Signals) => {
    child.kill(name);
    await exited(child);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (!url || !output.includes('Demo site:')) return;
      clearTimeout(timer);
      resolve({
        process: child,
        url,
        key: /API key \(shown once, store it now\): (\S+)/.exec(output)?.[1],
        kill: () => signal('SIGKILL'),
        stop: () => signal('SIGTERM'),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, exitSignal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? exitSignal}) before listening:\n${output}`));
    });
  });
}
