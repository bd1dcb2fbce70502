import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildCustomScript } from '../../server/custom-code/script';

describe('buildCustomScript', () => {
  it('gives the same bytes and ETag for the same code, and another for other code', () => {
    const one = buildCustomScript(1, [{ fullyQualifiedName: 'pe1_a', code: 'void 1;' }]);
    expect(buildCustomScript(1, [{ fullyQualifiedName: 'pe1_a', code: 'void 1;' }])).toEqual(one);
    expect(buildCustomScript(1, [{ fullyQualifiedName: 'pe1_a', code: 'void 2;' }]).etag).not.toBe(one.etag);
    expect(one.etag).toBe(`"${one.hash}"`);
  });

  it('runs every snippet through the tracker, each in a function of its own', () => {
    const ran: string[] = [];
    const { body } = buildCustomScript(1, [
      { fullyQualifiedName: 'pe1_a', code: 'clicktrail.push("a");' },
      { fullyQualifiedName: 'pe1_b', code: 'clicktrail.push("b"); // trailing comment' },
    ]);
    const clicktrail = { runCustomCode: (name: string, fn: (api: string[]) => void) => fn(ran) };
    vm.runInNewContext(body, { window: { clicktrail } });
    expect(ran).toEqual(['a', 'b']);
    // Without the tracker (blocked, or not loaded yet) the script does nothing, and does not throw.
    expect(() => void vm.runInNewContext(body, { window: {} })).not.toThrow();
  });
});
