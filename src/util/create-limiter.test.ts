import { describe, expect, it } from "vitest";
import { createLimiter } from "./create-limiter.js";

describe("createLimiter", () => {
  it("never grants more than its slots, serves waiters in order, and ignores a double release", async () => {
    const limiter = createLimiter(2);
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const waiters = [0, 1, 2, 3].map((n) =>
      limiter.acquire().then((release) => {
        order.push(n);
        releases.push(release);
      }),
    );
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(limiter.active).toBe(2);
    releases[0]?.();
    releases[0]?.();
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    expect(limiter.active).toBe(2);
    releases[1]?.();
    releases[2]?.();
    await Promise.all(waiters);
    releases[3]?.();
    expect(order).toEqual([0, 1, 2, 3]);
    expect(limiter.active).toBe(0);
    expect(limiter.peak).toBe(2);
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});
