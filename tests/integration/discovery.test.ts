import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeFusedRun, writeMlxRun, writePeftRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";

describe("run discovery", () => {
  it("picks the newest run by the timestamp in its name, across both separators", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    // A plain string sort would pick "..._20250925_100000" ('_' sorts after '-'); mtime would pick the last written.
    await writeMlxRun(models, "webauthn-security-sequential-20250926_150000", { seed: 2 });
    await writeMlxRun(models, "webauthn-security-sequential_20250926_120000", { seed: 3 });
    await writeMlxRun(models, "webauthn-security-sequential_20250925_100000", { seed: 4 });
    await writeMlxRun(models, "webauthn-security-sequential_20251301_000000", { seed: 5 }); // month 13
    await writeMlxRun(models, "webauthn-security-sequential_20260101_000000_peft_converted", { seed: 6 });
    await writeFile(path.join(models, "webauthn-security-sequential_20270101_000000"), "a file, not a run");

    const result = await runCli(["--only-upload", "--model-dir", models, "--verbose"]);

    const newest = path.join(models, "webauthn-security-sequential-20250926_150000");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`🎯 Found fine-tuned model directory: ${newest}`);
    expect(result.stdout).toContain(`📁 Using model artifacts: ${newest}`);
    expect([...hub.repos.keys()]).toEqual(["alice/webauthn-security-sequential-20250926_150000"]);
    expect(result.stderr).toContain(
      "Ignored webauthn-security-sequential_20251301_000000: impossible timestamp 2025-13-01",
    );
    expect(result.stderr).toContain(
      "Ignored webauthn-security-sequential_20260101_000000_peft_converted: derived folder",
    );
    expect(result.stderr).toContain("Ignored webauthn-security-sequential_20270101_000000: not a directory");
  });

  it("--run picks a run explicitly", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, "webauthn-security-sequential_20250926_150000");
    await writeMlxRun(models, "webauthn-security-sequential_20250925_100000");

    const result = await runCli(["--model-dir", models, "--run", "webauthn-security-sequential_20250925_100000"]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("🎯 Using run selected with --run");
    expect([...hub.repos.keys()]).toEqual(["alice/webauthn-security-sequential_20250925_100000"]);
  });

  it("--run with an unknown name lists what is there and exits 4", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, "webauthn-security-sequential_20250926_150000");

    const result = await runCli(["--model-dir", models, "--run", "webauthn-security-sequential_19990101_000000"]);

    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(
      /Run "webauthn-security-sequential_19990101_000000" not found .*available: webauthn-security-sequential_20250926_150000/,
    );
    expect(seen).toEqual([]);
  });

  it("--run refuses paths", async () => {
    const models = await testdir();
    const result = await runCli(["--model-dir", models, "--run", "../elsewhere"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--run takes a folder name");
  });

  it("uses --model-dir directly when it is itself a model folder", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const direct = path.join(models, "my fused model");
    await writeFusedRun(direct, { shards: 2 });

    const result = await runCli(["--only-upload", "--model-dir", direct]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`📂 Using direct model path: ${direct}`);
    expect(result.stdout).toContain(`📁 Using model artifacts: ${direct}`);
    const repo = hub.repos.get("alice/my-fused-model");
    expect([...(repo?.files.keys() ?? [])].sort()).toEqual([
      ".gitattributes",
      "README.md",
      "config.json",
      "model-00001-of-00002.safetensors",
      "model-00002-of-00002.safetensors",
      "model.safetensors.index.json",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
  });

  it("uploads a PEFT adapter folder as it is", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writePeftRun(path.join(models, "webauthn-security-sequential_20250926_120000"));

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode).toBe(0);
    const readme = (
      await hub.fileContent("alice/webauthn-security-sequential_20250926_120000", "README.md")
    ).toString();
    expect(readme).toContain("library_name: peft");
    expect(readme).toContain("base_model:adapter:allenai/OLMo-2-0425-1B-Instruct");
  });

  it("fails with exit 4 naming the directory when there are no runs", async () => {
    const seen = recordAllRequests();
    const models = await testdir({ "notes.txt": "nothing here", "other-folder/x": "y" });

    const result = await runCli(["--only-upload", "--model-dir", models]);

    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(`No runs found in ${models} (--model-dir)`);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(seen).toEqual([]);
  });

  it("explains why entries were ignored when there are no runs, with --verbose", async () => {
    const models = await testdir();
    await mkdir(path.join(models, "webauthn-security-sequential_20251301_000000"));
    const result = await runCli(["--model-dir", models, "--verbose"]);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("ignored webauthn-security-sequential_20251301_000000: impossible timestamp");
  });

  it("fails with exit 4 when the models directory does not exist", async () => {
    const models = await testdir();
    const result = await runCli(["--model-dir", path.join(models, "missing")]);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("Models directory does not exist");
  });

  it("--list-runs prints runs newest first with timestamp, status, layout, kind and size, and uploads nothing", async () => {
    const seen = recordAllRequests();
    const models = await testdir();
    await writeMlxRun(models, "webauthn-security-sequential_20250925_100000");
    await writeFusedRun(path.join(models, "webauthn-security-sequential-20250926_150000"));
    await mkdir(path.join(models, "webauthn-security-sequential_20250920_100000"));

    const text = await runCli(["--model-dir", models, "--list-runs", "--offline"]);
    const json = await runCli(["--model-dir", models, "--list-runs", "--json", "--offline"]);

    expect(text.exitCode).toBe(0);
    expect(json.exitCode).toBe(0);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ {2}RUN\s+TIMESTAMP\s+LAYOUT\s+KIND\s+SIZE\s+STATUS$/);
    expect(lines[1]).toMatch(
      /^\* webauthn-security-sequential-20250926_150000\s+2025-09-26 15:00:00\s+flat\s+fused\s+\d[\d.]* \w+\s+complete$/,
    );
    expect(lines[2]).toMatch(
      /^ {2}webauthn-security-sequential_20250925_100000\s+2025-09-25 10:00:00\s+flat\s+mlx-lora\s+\d[\d.]* \w+\s+complete$/,
    );
    expect(lines[3]).toMatch(
      /^ {2}webauthn-security-sequential_20250920_100000\s+.*\s+-\s+-\s+incomplete: the run folder holds no model/,
    );
    const parsed = JSON.parse(json.stdout) as {
      runs: Array<{ name: string; kinds: string[]; size: number; status: string }>;
    };
    expect(parsed.runs.map((run) => run.status)).toEqual(["complete", "complete", "incomplete"]);
    expect(parsed.runs.map((run) => run.name)).toEqual([
      "webauthn-security-sequential-20250926_150000",
      "webauthn-security-sequential_20250925_100000",
      "webauthn-security-sequential_20250920_100000",
    ]);
    expect(parsed.runs[1]?.size).toBeGreaterThan(1000);
    expect(seen).toEqual([]);
  });

  it("--list-runs says which runs are published when a token and a Hub are there", async () => {
    useFakeHub();
    const models = await testdir();
    await writeMlxRun(models, "webauthn-security-sequential_20250925_100000");
    await writeMlxRun(models, "webauthn-security-sequential_20250926_120000", { seed: 9 });
    const home = await testdir();
    expect(
      (await runCli(["--model-dir", models, "--run", "webauthn-security-sequential_20250925_100000"], { home }))
        .exitCode,
    ).toBe(0);

    const text = await runCli(["--model-dir", models, "--list-runs"], { home });

    expect(text.exitCode, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0], text.stderr).toMatch(/\sPUBLISHED\s+STATUS$/);
    expect(lines[1]).toMatch(/^\* webauthn-security-sequential_20250926_120000\s.*\sno\s+complete$/);
    expect(lines[2]).toMatch(/^ {2}webauthn-security-sequential_20250925_100000\s.*\syes\s+complete$/);
  });

  it("--list-runs --repo reads the stable repo's tags once, however many runs it lists", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const runs = ["20250925_100000", "20250926_120000", "20250927_120000"].map(
      (stamp) => `webauthn-security-sequential_${stamp}`,
    );
    for (const [index, run] of runs.entries()) {
      await writeMlxRun(models, run, { seed: index + 1 });
    }
    const home = await testdir();
    const repo = ["--repo", "alice/webauthn-security"];
    expect((await runCli(["--model-dir", models, "--run", runs[1] ?? "", ...repo], { home })).exitCode).toBe(0);
    const before = hub.count("GET", /^\/api\/models\/alice\/webauthn-security\/refs/);

    const text = await runCli(["--model-dir", models, "--list-runs", ...repo], { home });

    expect(text.exitCode, text.stderr).toBe(0);
    const published = text.stdout
      .trimEnd()
      .split("\n")
      .filter((line) => line.includes("webauthn-security-sequential_"))
      .map((line) => /\s(yes|no)\s+complete$/.exec(line)?.[1]);
    expect(published).toEqual(["no", "yes", "no"]);
    expect(hub.count("GET", /^\/api\/models\/alice\/webauthn-security\/refs/) - before).toBe(1);
  });

  it("--list-runs asks the Hub only about complete runs: a folder of half-written runs sends no request", async () => {
    useFakeHub();
    const seen = recordAllRequests();
    const models = await testdir();
    for (const stamp of ["20250925_100000", "20250926_120000"]) {
      await mkdir(path.join(models, `webauthn-security-sequential_${stamp}`, "adapters"), { recursive: true });
    }

    const text = await runCli(["--model-dir", models, "--list-runs"], { home: await testdir() });

    expect(text.exitCode, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).not.toMatch(/PUBLISHED/);
    expect(lines.slice(1).every((line) => /incomplete: the run folder holds no model/.test(line))).toBe(true);
    expect(lines).toHaveLength(3);
    expect(seen).toEqual([]);
  });
});
