import { realpath, rename, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeFusedRun } from "../helpers/make-run.js";
import { writeStagedRun } from "../helpers/make-staged-run.js";
import { runCli } from "../helpers/run-cli.js";
import { STAGED_RUN as RUN } from "../helpers/fixtures.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { ANNOUNCEMENT } from "../helpers/announcement.js";

/** Moves `rel` out of the run to a folder of its own and leaves a symbolic link to it in its place. */
async function moveOut(run: string, rel: string): Promise<string> {
  const outside = path.join(await realpath(await testdir()), path.basename(rel));
  await rename(path.join(run, rel), outside);
  await symlink(outside, path.join(run, rel));
  return outside;
}

describe("a staged run's folders that are links out of the run: refused before any request", () => {
  it.each([
    ["stage2/adapters", "stage2/adapters", {}],
    ["final-model (a complete fused model)", "final-model", { fusedFinalModel: true }],
    ["stage2/training-data", "stage2/training-data", {}],
    ["the whole stage2 folder", "stage2", {}],
    ["stage1/adapters (not published, but read for the card)", "stage1/adapters", {}],
    ["stage2/evaluation (quoted in the card)", "stage2/evaluation", { evaluation: true }],
    ["one split file", "stage2/training-data/train.jsonl", {}],
  ])("%s: exit 3 naming the link and where it points", async (_label, rel, options) => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeStagedRun(models, RUN, options);
    const outside = await moveOut(run, rel);

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `Error: Run ${RUN} failed validation (1 problem) — Fix the files listed, or choose another run with --run NAME (see --list-runs)`,
      `  - ${rel}: symbolic link points outside the run (${outside}); nothing outside the run is published — copy it into the run instead`,
    ]);
    expect(hub.requests).toEqual([]);
  });

  it("--json carries the problem as an object; --list-runs shows the run as invalid", async () => {
    useFakeHub();
    const models = await testdir();
    const run = await writeStagedRun(models, RUN);
    const outside = await moveOut(run, "stage2/adapters");

    const result = await runCli(["--model-dir", models, "--json"]);
    const listed = await runCli(["--model-dir", models, "--list-runs", "--json", "--offline"]);

    expect(result.exitCode).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "error",
      exitCode: 3,
      problems: [
        {
          file: "stage2/adapters",
          message: expect.stringContaining(`symbolic link points outside the run (${outside})`) as string,
        },
      ],
    });
    expect(JSON.parse(listed.stdout)).toMatchObject({
      runs: [{ name: RUN, status: "invalid", problems: [{ file: "stage2/adapters" }] }],
    });
  });

  it("links that stay inside the run keep working", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeStagedRun(models, RUN);
    // The run manager could keep a stage's adapters elsewhere in the run and link them into place.
    await rename(path.join(run, "stage2", "adapters"), path.join(run, "adapters-stage2"));
    await symlink(path.join("..", "adapters-stage2"), path.join(run, "stage2", "adapters"));
    await rename(path.join(run, "stage2", "training-data"), path.join(run, "data-stage2"));
    await symlink(path.join(run, "data-stage2"), path.join(run, "stage2", "training-data"));

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(hub.repos.get(`alice/${RUN}`)?.files.has("adapter_model.safetensors")).toBe(true);
    expect(hub.repos.get(`datasets/alice/${RUN}-training-data`)?.files.has("train.jsonl")).toBe(true);
  });

  it("a final model linked out of the run is refused, not passed over for the stage's adapters", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const run = await writeStagedRun(models, RUN);
    const outside = await testdir();
    await writeFusedRun(outside);
    await rm(path.join(run, "final-model"), { recursive: true });
    await symlink(outside, path.join(run, "final-model"));

    const result = await runCli(["--model-dir", models, "--dry-run"]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(
      `  - final-model: symbolic link points outside the run (${await realpath(outside)})`,
    );
    expect(hub.requests).toEqual([]);
  });
});

describe("stages whose adapters have different ranks", () => {
  it("publishes with a warning naming both ranks, and the card does not claim stage 2 continued from stage 1", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeStagedRun(models, RUN, { ranks: { stage1: 8, stage2: 16 } });

    const result = await runCli(["--model-dir", models, "--no-datasets"]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      "Warning: stage2's adapter has rank 16 but stage1's has rank 8, so stage2 cannot have continued from stage1's adapter; the model card does not claim it did",
      expect.stringMatching(ANNOUNCEMENT),
    ]);
    const card = (await hub.fileContent(`alice/${RUN}`, "README.md")).toString();
    expect(card).toContain("trained in 2 stages (stage1 → stage2)");
    expect(card).not.toMatch(/continuing from the previous/);
    expect(card).toContain(
      "stage2's adapter has rank 16 and stage1's rank 8, so stage2 did not continue from stage1's adapter.",
    );
  });

  it("the same rank in both stages: the card says each stage continued from the previous one", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    await writeStagedRun(models, RUN, { ranks: { stage1: 16, stage2: 16 } });

    const result = await runCli(["--model-dir", models, "--no-datasets"]);

    expect(result.exitCode, result.stderr).toBe(0);
    // No warning: only the line announcing the upload.
    expect(result.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(ANNOUNCEMENT)]);
    const card = (await hub.fileContent(`alice/${RUN}`, "README.md")).toString();
    expect(card).toContain("(stage1 → stage2), each continuing from the previous one's adapter.");
  });
});
