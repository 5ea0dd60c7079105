import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CLI_BIN, RUN } from "../helpers/fixtures.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { startHubCommand } from "../helpers/start-hub-command.js";
import { terminalScreen } from "../helpers/terminal-screen.js";
import { testdir } from "../helpers/testdir.js";

/**
 * The progress output of the built CLI as a CI log and a person see it: in a pipe, and in a
 * pseudo-terminal 40 columns wide (util-linux `script`), against a Hub that answers slowly and fails
 * half the storage uploads it is sent (LFS PUTs and Xet xorbs; seeded), so retries happen mid-upload.
 */

const MiB = 1024 * 1024;
const hasScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

const HUB_ARGS = [
  "--latency-ms",
  "300",
  "--fault-rate",
  "0.5",
  "--seed",
  "7",
  "--fault-route",
  "^(PUT /__lfs/|POST /__xet/v1/xorbs/)",
];

async function setUp(): Promise<{ models: string; env: Record<string, string> }> {
  const hub = await startHubCommand(HUB_ARGS);
  const models = await testdir();
  await writeMlxRun(models, RUN, {
    extra: { "fused/model-a.bin": randomBytes(24 * MiB), "fused/model-b.bin": randomBytes(16 * MiB) },
  });
  return {
    models,
    env: {
      HOME: await testdir(),
      TMPDIR: await testdir(),
      HF_ENDPOINT: hub.info.url,
      HF_TOKEN: hub.info.token,
      PROCESS_ARTIFACTS_RETRY_BASE_MS: "50",
    },
  };
}

/** The percentages a step's progress lines show, in order. */
function percentages(lines: readonly string[], label: string): number[] {
  return lines.flatMap((line) => {
    const match = new RegExp(`${label}…(?: \\d+/\\d+ files ·)? (\\d+)%`).exec(line);
    return match === null ? [] : [Number(match[1])];
  });
}

function expectNeverBackwards(values: readonly number[]): void {
  values.forEach((value, index) => expect(value).toBeGreaterThanOrEqual(values[index - 1] ?? 0));
}

/** Retry lines name the file being uploaded (a path of the run), never the storage URL's hash. */
function expectRetriesNameFiles(text: string): void {
  const retries = text.split(/\r?\n/).filter((line) => line.includes("Retrying"));
  expect(retries.length).toBeGreaterThanOrEqual(1);
  for (const line of retries) {
    // A xorb carries chunks of several files: "a and b", or "a and 2 more files".
    expect(line).toMatch(
      /^Retrying the upload of (fused\/model-[ab]\.bin|mlx\/adapters\.safetensors|adapter_model\.safetensors)( and (fused\/model-[ab]\.bin|mlx\/adapters\.safetensors|adapter_model\.safetensors|\d+ more files))? in /,
    );
  }
  expect(text).not.toContain("/__lfs/");
  expect(text).not.toContain("/__xet/");
}

describe("progress in a pipe (a CI log)", () => {
  it("announces the upload first, then prints plain progress lines that never go back, and names the file a retry is for", async () => {
    const { models, env } = await setUp();

    const result = await spawnCli(["--model-dir", models, "--no-datasets"], env, { deadlineMs: 120_000 }).result;

    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^Publishing ${RUN} to alice/${RUN} \\(8 files, 40\\.\\d MiB\\)$`));
    expect(result.stderr).not.toContain("\r");
    expect(result.stderr).not.toContain("\u001b");
    const progress = lines.filter((line) => /^(Hashing|Uploading|Committing|Checking|Creating)/.test(line));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expectNeverBackwards(percentages(lines, "Uploading"));
    expectRetriesNameFiles(result.stderr);
    expect(result.stdout).toContain("✅ Model uploaded successfully");
  });
});

describe.skipIf(!hasScript)(
  `progress in a 40-column terminal${hasScript ? "" : " (skipped: no util-linux script)"}`,
  () => {
    it("keeps every drawn line within the width, rate and ETA first, never goes back, and leaves no line after the result", async () => {
      const { models, env } = await setUp();
      const command = [
        "stty cols 40 rows 60;",
        "exec",
        process.execPath,
        CLI_BIN,
        "--model-dir",
        models,
        "--no-datasets",
      ]
        .map((part, index) => (index < 2 ? part : `'${part}'`))
        .join(" ");
      const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));

      expect(exitCode, output).toBe(0);
      // Every progress draw, as written after its erase: under 40 columns, so it never wraps.
      // (A chunk with a newline is a line printed for good, a warning or a retry; a draw has none.)
      const drawn = output
        .split("\r\u001b[K")
        .slice(1)
        .filter((chunk) => chunk !== "" && !chunk.includes("\n"));
      expect(drawn.length).toBeGreaterThanOrEqual(2);
      for (const line of drawn) {
        expect(line.length, line).toBeLessThan(40);
      }
      // Where a rate is known it is still on the line, however narrow: it is what is given up last.
      expect(drawn.some((line) => /\/s/.test(line))).toBe(true);
      expectNeverBackwards(percentages(drawn, "Uploading"));
      // The lines as written, before the terminal wraps them: each as left by its last erase.
      const written = output.split(/\r?\n/).map((line) => line.split("\r\u001b[K").at(-1) ?? "");
      expectRetriesNameFiles(written.join("\n"));

      const screen = terminalScreen(output, 40);
      const text = screen.rows.join("\n");
      // The result is the last thing on screen, and the cursor is at the start of a line for the shell.
      expect(text).toContain("✅ Model uploaded successfully");
      const after = screen.rows.slice(screen.rows.findIndex((row) => row.startsWith("✅")));
      expect(after.filter((row) => /…/.test(row))).toEqual([]);
      expect(screen.rows.filter((row) => /^(Uploading|Hashing|Committing|Checking)…/.test(row))).toEqual([]);
      expect(screen.cursorColumn).toBe(0);
    });
  },
);
