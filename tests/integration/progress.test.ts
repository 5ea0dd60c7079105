import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { RUN } from "../helpers/fixtures.js";

const CLEAR = "\r\x1b[K";

/** What a terminal shows of stderr: each line as left by its last carriage-return erase. */
function screen(stderr: string): string[] {
  return stderr.split("\n").map((line) => line.split(CLEAR).at(-1) ?? "");
}

describe("progress on a terminal", () => {
  it("prints a Hub error on its own line after the progress line, and leaves no progress on screen", async () => {
    useFakeHub({
      intercept: (request) =>
        new URL(request.url).pathname.endsWith("/commit/main")
          ? new Response(JSON.stringify({ error: "Internal Error" }), {
              status: 500,
              headers: { "content-type": "application/json" },
            })
          : undefined,
    });
    const models = await testdir();
    await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024) } });

    const result = await runCli(["--model-dir", models], {
      stderrIsTTY: true,
      env: { PROCESS_ARTIFACTS_MAX_RETRIES: "0" },
    });

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Committing…");
    const lines = screen(result.stderr);
    const error = lines.findIndex((line) => line.startsWith("Error: The Hub answered 500"));
    expect(error).toBeGreaterThanOrEqual(0);
    expect(lines.filter((line) => line.includes("…") && !line.startsWith("Error:"))).toEqual([]);
    expect(lines.at(-1)).toBe("");
  });

  it.each(["1", "true", "YES"])("draws nothing with HF_HUB_DISABLE_PROGRESS_BARS=%s", async (value) => {
    useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024) } });

    const result = await runCli(["--model-dir", models], {
      stderrIsTTY: true,
      env: { HF_HUB_DISABLE_PROGRESS_BARS: value },
    });

    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toContain("\r");
  });

  it("still draws with HF_HUB_DISABLE_PROGRESS_BARS=0", async () => {
    useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(12 * 1024 * 1024) } });

    const result = await runCli(["--model-dir", models], {
      stderrIsTTY: true,
      env: { HF_HUB_DISABLE_PROGRESS_BARS: "0" },
    });

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`${CLEAR}Uploading…`);
    expect(screen(result.stderr).at(-1)).toBe("");
  });
});
