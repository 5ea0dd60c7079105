import { seededRandom } from "./seeded-random.js";

export type Fault = "429" | "500" | "503" | "drop";

export interface InjectedFault {
  fault: Fault;
  method: string;
  path: string;
}

/**
 * A fault injector for FakeHub's `intercept`: fails a fixed fraction of requests (chosen by a seeded
 * PRNG, so the n-th request that `route` matches fails the same way on every run) with rate limits,
 * server errors or dropped connections. `route` is tested against "METHOD /decoded/path".
 */
export function createFaultInjector(options: { rate: number; seed: number; route?: RegExp }): {
  intercept: (request: Request) => Response | undefined;
  injected: InjectedFault[];
} {
  const random = seededRandom(options.seed);
  const kinds: Fault[] = ["429", "500", "503", "drop"];
  const injected: InjectedFault[] = [];
  return {
    injected,
    intercept: (request) => {
      const url = new URL(request.url);
      let path = url.pathname;
      try {
        path = decodeURIComponent(path);
      } catch {
        // An undecodable path is matched as sent.
      }
      if (options.route && !options.route.test(`${request.method} ${path}`)) {
        return undefined;
      }
      if (random() >= options.rate) {
        return undefined;
      }
      const fault = kinds[Math.floor(random() * kinds.length)] ?? "500";
      injected.push({ fault, method: request.method, path });
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
