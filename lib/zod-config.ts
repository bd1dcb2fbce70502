import { z } from 'zod';

/**
 * Imported first by every extension entrypoint, before any schema is built: zod's object parser
 * otherwise probes `new Function('')` once and compiles parsers with it. Extension pages and
 * content scripts must not evaluate strings (Mozilla's add-on policy; MV3's CSP refuses it), so
 * the extension uses zod's interpreted path. The server keeps the faster compiled one.
 */
z.config({ jitless: true });
