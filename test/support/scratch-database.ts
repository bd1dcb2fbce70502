// The harness lives in server/ so that the benchmarks use the same one without importing test/.
export * from '../../server/storage/scratch-database';
