import { readFile, truncate } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";

/** Run names a day apart, oldest first. */
function runNames(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `webauthn-security-sequential_202510${String(i + 1).padStart(2, "0")}_100000`,
  );
}

/** Cuts a run's adapter weights to half their length, as a copy interrupted midway leaves them. */
async function truncateWeights(run: string): Promise<void> {
  const file = path.join(run, "adapters", "adapters.safetensors");
  await truncate(file, Math.floor((await readFile(file)).length / 2));
}

const FAKE_HF = `hf_${"Q1w2E3r4T5".repeat(4)}`;

interface Backlog {
  runs: Array<{
    run: string;
    status: string;
    error?: string;
    stillTraining?: boolean;
    problems?: Array<{ file: string; line?: number; message: string }>;
  }>;
}

describe("--all tells the whole truth about the backlog", () => {
  it("a truncated run among complete ones is not 'still training': counted, named with its problem, exit 1", async () => {
    useFakeHub();
    const models = await testdir();
    const names = runNames(12);
    for (const [index, name] of names.entries()) {
      await writeMlxRun(models, name, { seed: index + 1 });
    }
    const broken = names[5] ?? "";
    await truncateWeights(path.join(models, broken));

    const text = await runCli(["--model-dir", models, "--all", "--no-datasets"]);
    const json = await runCli(["--model-dir", models, "--all", "--no-datasets", "--json"]);

    expect(text.exitCode, text.stderr).toBe(1);
    expect(text.stdout).not.toContain("none failed");
    const summary = text.stdout
      .slice(text.stdout.indexOf("\n\n") + 2)
      .trimEnd()
      .split("\n");
    expect(summary).toEqual([
      "1 of 12 run(s) failed:",
      `  ${broken}: incomplete while a newer run has finished, so not still training`,
      "    - adapters/adapters.safetensors is shorter than its header says (still being written?)",
    ]);
    expect(text.stderr).toContain(`Warning: [6/12] ${broken}: incomplete while a newer run has finished`);
    expect(json.exitCode).toBe(1);
    const entry = (JSON.parse(json.stdout) as Backlog).runs.find((run) => run.run === broken);
    expect(entry).toMatchObject({
      status: "incomplete",
      stillTraining: false,
      problems: [
        {
          file: "adapters/adapters.safetensors",
          message: "adapters/adapters.safetensors is shorter than its header says (still being written?)",
        },
      ],
    });
  });

  it("the newest run still being written is skipped, not failed: exit 0, and the summary says so", async () => {
    useFakeHub();
    const models = await testdir();
    const names = runNames(3);
    for (const [index, name] of names.entries()) {
      await writeMlxRun(models, name, { seed: index + 1 });
    }
    await truncateWeights(path.join(models, names[2] ?? ""));

    const text = await runCli(["--model-dir", models, "--all", "--no-datasets"]);
    const json = await runCli(["--model-dir", models, "--all", "--no-datasets", "--json"]);

    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe("3 run(s): none failed; 1 still training, skipped");
    expect(json.exitCode).toBe(0);
    expect((JSON.parse(json.stdout) as Backlog).runs.at(-1)).toMatchObject({
      status: "incomplete",
      stillTraining: true,
    });
  });

  it("a run that fails validation: every problem, with file and line, in the summary, on stderr and in --json", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const [first, second, third] = runNames(3);
    await writeMlxRun(models, first ?? "", { seed: 1 });
    await writeMlxRun(models, second ?? "", {
      seed: 2,
      extra: { "notes/train.log": `step 1\nstep 2\nHF_TOKEN=${FAKE_HF}\n`, "notes/settings.json": "{ not json" },
    });
    await writeMlxRun(models, third ?? "", { seed: 3 });

    const text = await runCli(["--model-dir", models, "--all", "--no-datasets"]);
    const json = await runCli(["--model-dir", models, "--all", "--no-datasets", "--json"]);

    expect(text.exitCode).toBe(1);
    const summary = text.stdout
      .slice(text.stdout.indexOf("\n\n") + 2)
      .trimEnd()
      .split("\n");
    expect(summary).toEqual([
      "1 of 3 run(s) failed:",
      `  ${second}: Run ${second} failed validation (2 problems) — Fix the files listed, or choose another run with --run NAME (see --list-runs)`,
      expect.stringMatching(/^ {4}- notes\/settings\.json: invalid JSON: /),
      "    - notes/train.log: line 3: Hugging Face token (hf_Q1w…); remove it — a secret must never be published",
    ]);
    expect(text.stderr).toContain(
      "\n  - notes/train.log: line 3: Hugging Face token (hf_Q1w…); remove it — a secret must never be published\n",
    );
    expect(text.stdout + text.stderr).not.toContain(FAKE_HF);
    const entry = (JSON.parse(json.stdout) as Backlog).runs.find((run) => run.run === second);
    expect(entry?.status).toBe("failed");
    expect(entry?.problems).toEqual([
      { file: "notes/settings.json", message: expect.stringMatching(/^invalid JSON: /) as string },
      {
        file: "notes/train.log",
        line: 3,
        message: "line 3: Hugging Face token (hf_Q1w…); remove it — a secret must never be published",
      },
    ]);
    expect(hub.repos.has(`alice/${second}`)).toBe(false);
  });
});

describe("--json of a single run: failures as data", () => {
  it("a run that fails validation carries its problems, each with its file", async () => {
    useFakeHub();
    const models = await testdir();
    const [name] = runNames(1);
    await writeMlxRun(models, name ?? "", { extra: { "notes/settings.json": "{ not json" } });

    const result = await runCli(["--model-dir", models, "--json"]);

    expect(result.exitCode).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({
      status: "error",
      exitCode: 3,
      error: {
        message: `Run ${name} failed validation (1 problem)`,
        hint: "Fix the files listed, or choose another run with --run NAME (see --list-runs)",
        type: "ValidationError",
      },
      problems: [{ file: "notes/settings.json", message: expect.stringMatching(/^invalid JSON: /) as string }],
    });
  });

  it("--run of an incomplete run carries what it lacks; no complete run at all lists each incomplete run's", async () => {
    useFakeHub();
    const models = await testdir();
    const [older, newer] = runNames(2);
    for (const name of [older, newer]) {
      await truncateWeights(await writeMlxRun(models, name ?? ""));
    }
    const lacks = {
      file: "adapters/adapters.safetensors",
      message: "adapters/adapters.safetensors is shorter than its header says (still being written?)",
    };

    const named = await runCli(["--model-dir", models, "--run", older ?? "", "--json"]);
    const none = await runCli(["--model-dir", models, "--json"]);

    expect(named.exitCode).toBe(3);
    expect(JSON.parse(named.stdout)).toMatchObject({
      status: "error",
      error: { type: "IncompleteRunError" },
      problems: [lacks],
    });
    expect(none.exitCode).toBe(4);
    expect(JSON.parse(none.stdout)).toMatchObject({
      status: "error",
      exitCode: 4,
      incompleteRuns: [
        { name: newer, problems: [lacks] },
        { name: older, problems: [lacks] },
      ],
    });
  });

  it("an unchanged re-run carries the commit the repo's branch is at", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const [name] = runNames(1);
    await writeMlxRun(models, name ?? "");
    const home = await testdir();
    expect((await runCli(["--model-dir", models, "--no-datasets"], { home })).exitCode).toBe(0);

    const again = await runCli(["--model-dir", models, "--no-datasets", "--json"], { home });
    const text = await runCli(["--model-dir", models, "--no-datasets"], { home });

    const head = hub.repos.get(`alice/${name ?? ""}`)?.commits.at(-1)?.oid ?? "";
    expect(head).not.toBe("");
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      status: "unchanged",
      commit: { oid: head, url: `https://hub.test/alice/${name ?? ""}/commit/${head}` },
    });
    expect((JSON.parse(again.stdout) as { commit: Record<string, unknown> }).commit).not.toHaveProperty("title");
    expect(text.stdout).toContain(
      `   Commit: ${head} https://hub.test/alice/${name ?? ""}/commit/${head} (already there)`,
    );
  });

  it("--list-runs --json gives each run's status and its problems as objects", async () => {
    const models = await testdir();
    const [complete, broken, writing] = runNames(3);
    await writeMlxRun(models, complete ?? "", { seed: 1 });
    await writeMlxRun(models, broken ?? "", { seed: 2, extra: { "notes/settings.json": "{ not json" } });
    await truncateWeights(await writeMlxRun(models, writing ?? "", { seed: 3 }));

    const result = await runCli(["--model-dir", models, "--list-runs", "--json", "--offline"]);
    const text = await runCli(["--model-dir", models, "--list-runs", "--offline"]);
    const upload = await runCli(["--model-dir", models, "--dry-run"]);

    expect(result.exitCode, result.stderr).toBe(0);
    // The marked run is the one an upload takes, and the listing says it would fail, as it does.
    expect(text.stdout).toMatch(new RegExp(`^\\* ${broken ?? ""} .*invalid: notes/settings\\.json: invalid JSON`, "m"));
    expect(text.stdout).toContain(
      "* the run an upload would pick: it fails validation, so the upload would stop (exit 3)",
    );
    expect(upload.exitCode).toBe(3);
    expect(upload.stderr).toContain(`Error: Run ${broken ?? ""} failed validation`);
    const listed = JSON.parse(result.stdout) as {
      runs: Array<{ name: string; status: string; problems: Array<{ file: string; message: string }> }>;
    };
    expect(listed.runs.map(({ name, status, problems }) => [name, status, problems.map((p) => p.file)])).toEqual([
      [writing, "incomplete", ["adapters/adapters.safetensors"]],
      [broken, "invalid", ["notes/settings.json"]],
      [complete, "complete", []],
    ]);
  });
});
