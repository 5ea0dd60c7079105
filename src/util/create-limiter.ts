export interface Limiter {
  /** Waits for a free slot; the returned function gives it back (calling it twice is harmless). */
  acquire(): Promise<() => void>;
  /** Slots in use right now. */
  readonly active: number;
  /** The most slots ever in use at once (for tests and benchmarks). */
  readonly peak: number;
}

/** A counting semaphore: at most `max` holders at once, the rest wait in arrival order. */
export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`a limiter needs at least one slot, got ${max}`);
  }
  let active = 0;
  let peak = 0;
  const waiting: Array<() => void> = [];
  const grant = (): (() => void) => {
    active++;
    peak = Math.max(peak, active);
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      active--;
      // Granted synchronously, so a newcomer cannot take the slot ahead of those already waiting.
      waiting.shift()?.();
    };
  };
  return {
    acquire() {
      if (active < max) {
        return Promise.resolve(grant());
      }
      return new Promise((resolve) => waiting.push(() => resolve(grant())));
    },
    get active() {
      return active;
    },
    get peak() {
      return peak;
    },
  };
}
