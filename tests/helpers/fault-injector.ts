import { createFaultInjector, type Fault } from "../../emulator/fault-injector.js";

export type { Fault };

/**
 * A fault injector for FakeHub's `intercept`: fails a fixed fraction of requests (chosen by a seeded
 * PRNG, so every run fails the same requests) with rate limits, server errors or dropped connections.
 */
export function faultInjector(rate: number, seed: number): ReturnType<typeof createFaultInjector> {
  return createFaultInjector({ rate, seed });
}
