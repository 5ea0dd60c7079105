import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
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

describe("credentials in HF_ENDPOINT", () => {
  const password = "Opensesame-4711";
  it.each([
    ["user and password", `https://alice:${password}@hub.test`],
    ["a password alone", `https://:${password}@hub.test`],
    ["an @ left unencoded in the password", `https://alice:${password}@x@hub.test`],
    ["a URL-encoded password", `https://alice:${encodeURIComponent(`${password}/?#`)}@hub.test`],
    ["an invalid port", `https://alice:${password}@hub.test:99999`],
    ["another scheme", `ftp://alice:${password}@hub.test`],
    ["a query", `https://alice:${password}@hub.test/?x=1`],
    ["a path character in the password", `https://alice:${password}/x@hub.test`],
  ])("are refused before anything is sent, and never printed: %s", async (_, endpoint) => {
    useFakeHub();
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models, "--verbose", "--json"], { env: { HF_ENDPOINT: endpoint } });

    expect(result.exitCode).toBe(2);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).not.toContain(password);
    expect(output).not.toContain(encodeURIComponent(password));
    expect(output).toContain("***@");
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "error", exitCode: 2 });
    expect(seen).toEqual([]);
  });

  it("names the fix in one line when the URL is otherwise fine", async () => {
    const models = await testdir();
    await writeMlxRun(models, RUN);

    const result = await runCli(["--model-dir", models], {
      env: { HF_ENDPOINT: `https://alice:${password}@hub.test` },
    });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("HF_ENDPOINT must not contain credentials (https://***@hub.test)");
    expect(result.stderr).toContain("the Hub is authenticated with HF_TOKEN");
  });
});
