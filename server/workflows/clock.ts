/** The engine's time source: epoch milliseconds. Injected so tests can move time by hand. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to: tests advance it past a delay or a maximum wait and run
 * the engine once, instead of sleeping.
 */
export class ManualClock implements Clock {
  #time: number;

  constructor(start = Date.now()) {
    this.#time = start;
  }

  now(): number {
    return this.#time;
  }

  advance(ms: number): void {
    this.#time += ms;
  }
}
