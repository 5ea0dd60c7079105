/**
 * The Hub emulator in its own process for `npm run bench`, so a client's CPU time and memory are
 * measured alone, with what the benchmark needs on top: every request's start and end time (to
 * count sequential round trips), and an optional delay on every request (a Hub that is far away).
 * Prints one JSON line {"url": ...} when ready. GET /__log returns the requests since the last call
 * ({method, path, status, bytes, start, end}, times in ms) and the commits made so far. Stops on
 * SIGTERM.
 *
 *   npx tsx bench/serve-bench-hub.ts [--delay-ms 100]
 */
import { FakeHub, type RecordedRequest } from "../emulator/fake-hub.js";
import { serveFakeHub } from "../emulator/serve-fake-hub.js";

const flag = process.argv.indexOf("--delay-ms");
const delayMs = flag >= 0 ? Number(process.argv[flag + 1] ?? 0) : 0;
const records = new WeakMap<Request, RecordedRequest>();
const times = new Map<RecordedRequest, { start: number; end: number }>();

const hub = new FakeHub({
  discardLfsContent: true,
  intercept: async (request, emulator) => {
    // handle() records the request just before calling intercept.
    const record = emulator.requests.at(-1);
    if (new URL(request.url).pathname === "/__log") {
      emulator.requests.pop();
      const requests = emulator.requests.splice(0).map((r) => ({
        method: r.method,
        path: r.path,
        status: r.status,
        bytes: r.bytes,
        ...(times.get(r) ?? { start: 0, end: 0 }),
      }));
      times.clear();
      const commits = [...emulator.repos.values()].reduce((sum, repo) => sum + repo.commits.length, 0);
      return new Response(JSON.stringify({ requests, commits, timeOrigin: performance.timeOrigin }), {
        headers: { "content-type": "application/json" },
      });
    }
    if (record !== undefined) {
      records.set(request, record);
      times.set(record, { start: performance.now(), end: Number.NaN });
    }
    if (delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    return undefined;
  },
  postprocess: (request, response) => {
    const record = records.get(request);
    const time = record === undefined ? undefined : times.get(record);
    if (time !== undefined) {
      time.end = performance.now();
    }
    return response;
  },
});
const served = await serveFakeHub(hub);
process.stdout.write(`${JSON.stringify({ url: served.url })}\n`);
process.on("SIGTERM", () => {
  void served.close().then(() => process.exit(0));
});
