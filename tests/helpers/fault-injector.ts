import { seededRandom } from "./random.js";

export type Fault = "429" | "500" | "503" | "drop";

/**
 * A fault injector for FakeHub's `intercept`: fails a fixed fraction of requests (chosen by a seeded
 * PRNG, so every run fails the same requests) with rate limits, server errors or dropped connections.
 */
export function faultInjector(
  rate: number,
  seed: number,
): {
  intercept: (request: Request) => Response | undefined;
  injected: Array<{ fault: Fault; method: string; path: string }>;
} {
  const random = seededRandom(seed);
  const kinds: Fault[] = ["429", "500", "503", "drop"];
  const injected: Array<{ fault: Fault; method: string; path: string }> = [];
  return {
    injected,
    intercept: (request) => {
      if (random() >= rate) {
        return undefined;
      }
      const fault = kinds[Math.floor(random() * kinds.length)] ?? "500";
      injected.push({ fault, method: request.method, path: new URL(request.url).pathname });
      if (fault === "drop") {
        return Response.error();
      }
      const status = Number(fault);
      return new Response(JSON.stringify({ error: `injected ${status}` }), {
        status,
        headers: { "content-type": "application/json", ...(status === 429 ? { "retry-after": "0" } : {}) },
      });
    },
  };
}
