import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";

describe("token masking covers what a server may echo", () => {
  it("a prefix, the URL-encoded token and a base64 Basic header echoed in an error never reach the output", async () => {
    const token = "hf_fake_prefix_echoed_by_the_server";
    const basic = Buffer.from(`alice:${token}`).toString("base64");
    useFakeHub({
      users: { [token]: { name: "alice" } },
      intercept: (request) => {
        if (new URL(request.url).pathname !== "/api/whoami-v2") {
          return undefined;
        }
        const sent = (request.headers.get("authorization") ?? "").replace(/^Bearer /, "");
        return new Response(
          JSON.stringify({
            error: `Token ${sent.slice(0, 18)}... is not allowed (url token=${encodeURIComponent(sent)}, basic ${basic})`,
          }),
          { status: 403, headers: { "content-type": "application/json" } },
        );
      },
    });
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models, "--verbose", "--json"], { env: { HF_TOKEN: token } });

    expect(result.exitCode).toBe(5);
    const output = `${result.stdout}${result.stderr}`;
    // The check that makes this test fail when masking is removed: each echoed form is absent.
    for (const leaked of [token, token.slice(0, 18), encodeURIComponent(token), basic, basic.slice(8, 40)]) {
      expect(output).not.toContain(leaked);
    }
    expect(result.stderr).toContain("Token hf_***... is not allowed (url token=hf_***, basic ");
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "error", exitCode: 5 });
  });
});
