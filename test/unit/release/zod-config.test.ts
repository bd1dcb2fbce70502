import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const PROBE = path.join(import.meta.dirname, 'zod-probe.ts');

function probe(mode: 'configured' | 'plain'): { parsed: boolean; functionCalls: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', PROBE, mode], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as { parsed: boolean; functionCalls: number };
}

describe('lib/zod-config', () => {
  it('keeps zod from evaluating strings: no Function constructor while schemas are built and used', () => {
    expect(probe('configured')).toEqual({ parsed: true, functionCalls: 0 });
  });

  it('is needed: without it zod probes and compiles with the Function constructor', () => {
    const plain = probe('plain');
    expect(plain.parsed).toBe(true);
    expect(plain.functionCalls).toBeGreaterThan(0);
  });
});
