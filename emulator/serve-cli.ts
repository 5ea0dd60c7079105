/**
 * Runs the Hub emulator as its own process on 127.0.0.1, for the benchmark (so the client's time and
 * memory are measured alone). Prints one JSON line {"url": ...} when ready; GET /__stats returns
 * request and byte counts. Stops on SIGTERM/SIGINT.
 *
 *   npx tsx emulator/serve-cli.ts [--keep-lfs]
 */
import { FakeHub } from "./fake-hub.js";
import { serveFakeHub } from "./serve-fake-hub.js";

const hub = new FakeHub({
  discardLfsContent: !process.argv.includes("--keep-lfs"),
  intercept: (request, emulator) => {
    if (new URL(request.url).pathname !== "/__stats") {
      return undefined;
    }
    emulator.requests.pop();
    const requests = emulator.requests;
    return new Response(
      JSON.stringify({
        requests: requests.length,
        puts: requests.filter((r) => r.method === "PUT").length,
        putBytes: requests.filter((r) => r.method === "PUT").reduce((sum, r) => sum + r.bytes, 0),
        commits: [...emulator.repos.values()].reduce((sum, repo) => sum + repo.commits.length, 0),
      }),
      { headers: { "content-type": "application/json" } },
    );
  },
});
const served = await serveFakeHub(hub);
process.stdout.write(`${JSON.stringify({ url: served.url })}\n`);
const stop = (): void => {
  void served.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
