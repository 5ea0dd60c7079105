import { InterruptedError } from "../errors.js";
import type { Tripwire } from "./create-tripwire.js";

/**
 * Runs the library's commit iterator to its end, but never waits on it alone: each step races the
 * tripwire (any failure) and the user's abort, so a lost rejection inside the library can neither
 * hang the upload nor surface later as an unhandled rejection.
 */
export async function drainCommitIterator<E, R>(
  iterator: AsyncIterator<E, R>,
  tripwire: Tripwire,
  signal: AbortSignal | undefined,
  onEvent: (event: E) => void,
): Promise<R> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new InterruptedError("Interrupted"));
    if (signal?.aborted) {
      onAbort();
    } else {
      signal?.addEventListener("abort", onAbort, { once: true });
    }
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const next = iterator.next();
      // Abandoned after a trip or an abort, a step that rejects later must not be unhandled.
      next.catch(() => undefined);
      const step = await Promise.race([next, tripwire.tripped, aborted]);
      if (step.done) {
        return step.value;
      }
      onEvent(step.value);
    }
  } finally {
    if (onAbort !== undefined) {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
