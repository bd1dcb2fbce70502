/**
 * Run as its own process by zod-config.test.ts (zod's eval probe is cached per process): counts
 * every use of the Function constructor while the shared schemas are built and an object parsed.
 * `configured` imports lib/zod-config first, as every extension entrypoint does.
 */
const calls: unknown[] = [];
globalThis.Function = new Proxy(globalThis.Function, {
  construct(target, args, newTarget) {
    calls.push(args);
    return Reflect.construct(target, args, newTarget) as object;
  },
  apply(target, self, args) {
    calls.push(args);
    return Reflect.apply(target, self, args) as unknown;
  },
});
export {};
if (process.argv[2] === 'configured') await import('../../../lib/zod-config');
const { completionInputSchema } = await import('../../../lib/shared');
const result = completionInputSchema.safeParse({ eventName: 'pe1_signed_up', email: 'a@example.com' });
console.log(JSON.stringify({ parsed: result.success, functionCalls: calls.length }));
