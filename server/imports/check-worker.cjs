// The import's worker thread starts here. It is started without the parent's loader flags (a
// second ESM loader thread would cost this process another 30 MB), so it registers tsx's in-thread
// require hook itself and loads the TypeScript entry through it.
require('tsx/cjs/api').register();
require('./check-worker-main.ts');
