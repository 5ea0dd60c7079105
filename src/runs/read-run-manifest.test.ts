import { describe, expect, it } from "vitest";
import { readRunManifest } from "./read-run-manifest.js";
import { MANIFEST_FILE, type RunManifest, type RunStage } from "./run-manifest.js";

const stage = (name: string, fields: Partial<RunStage> = {}): RunStage => ({
  name,
  adaptersPath: undefined,
  trainingDataPath: undefined,
  evaluationPath: undefined,
  finalModelPath: undefined,
  trainingParams: {},
  datasetStats: {},
  ...fields,
});

describe("readRunManifest: the shapes the run manager writes", () => {
  it.each<[string, unknown, RunManifest]>([
    [
      "v2.0",
      {
        version: "2.0",
        run_id: "run-7",
        timestamp: "2025-10-15T12:00:00",
        base_model: "OLMo-2-1B-mlx",
        final_model_path: "./final-model",
        stage1: { adapters_path: "./stage1/adapters", training_params: { iters: 100 }, dataset_stats: { train: 9 } },
        stage2: {
          adapters_path: "stage2/adapters/",
          training_data_path: "./stage2/data",
          evaluation_results_path: "stage2/eval",
        },
      },
      {
        version: "2.0",
        runId: "run-7",
        timestamp: "2025-10-15T12:00:00",
        baseModel: "OLMo-2-1B-mlx",
        finalModelPath: "final-model",
        stages: [
          stage("stage1", {
            adaptersPath: "stage1/adapters",
            trainingParams: { iters: 100 },
            datasetStats: { train: 9 },
          }),
          stage("stage2", {
            adaptersPath: "stage2/adapters",
            trainingDataPath: "stage2/data",
            evaluationPath: "stage2/eval",
          }),
        ],
      },
    ],
    [
      "v1.0 sequential: metadata in run_metadata, the final model inside stage 2",
      {
        run_metadata: { run_id: "run-1", timestamp: "2025-09-01T10:00:00", base_model: "OLMo" },
        stage1: { adapters_path: "stage1/adapters" },
        stage2: { adapters_path: "stage2/adapters", final_model_path: "stage2/final-model" },
      },
      {
        version: "1.0",
        runId: "run-1",
        timestamp: "2025-09-01T10:00:00",
        baseModel: "OLMo",
        finalModelPath: "stage2/final-model",
        stages: [
          stage("stage1", { adaptersPath: "stage1/adapters" }),
          stage("stage2", { adaptersPath: "stage2/adapters", finalModelPath: "stage2/final-model" }),
        ],
      },
    ],
    [
      "v1.0 single stage: adapters_path at the top",
      { version: "1.0", adapters_path: "adapters", final_model_path: "fused", training_data_path: "data/train.jsonl" },
      {
        version: "1.0",
        runId: undefined,
        timestamp: undefined,
        baseModel: undefined,
        finalModelPath: "fused",
        stages: [stage("training", { adaptersPath: "adapters", trainingDataPath: "data/train.jsonl" })],
      },
    ],
    [
      "a version written as a number",
      { version: 2.0, stage1: { adapters_path: "s1" } },
      {
        version: "2.0",
        runId: undefined,
        timestamp: undefined,
        baseModel: undefined,
        finalModelPath: undefined,
        stages: [stage("stage1", { adaptersPath: "s1" })],
      },
    ],
    [
      "stages in number order, whatever the key order",
      { stage10: { adapters_path: "s10" }, stage2: { adapters_path: "s2" }, stage1: { adapters_path: "s1" } },
      {
        version: "2.0",
        runId: undefined,
        timestamp: undefined,
        baseModel: undefined,
        finalModelPath: undefined,
        stages: [
          stage("stage1", { adaptersPath: "s1" }),
          stage("stage2", { adaptersPath: "s2" }),
          stage("stage10", { adaptersPath: "s10" }),
        ],
      },
    ],
    [
      "only stageN objects are stages",
      { stage1: { adapters_path: "s1" }, stage2: "pending", stages: {}, stage3x: {}, xstage4: {}, adapters_path: "a" },
      {
        version: "2.0",
        runId: undefined,
        timestamp: undefined,
        baseModel: undefined,
        finalModelPath: undefined,
        stages: [stage("stage1", { adaptersPath: "s1" })],
      },
    ],
    [
      "top-level fields win over run_metadata, blank ones do not count",
      {
        run_id: " ",
        base_model: "top",
        timestamp: "",
        run_metadata: { run_id: "meta", base_model: "meta", timestamp: "t" },
        stage1: { adapters_path: "s1", final_model_path: "s1/final", training_params: [1], dataset_stats: null },
        final_model_path: "final",
      },
      {
        version: "1.0",
        runId: "meta",
        timestamp: "t",
        baseModel: "top",
        finalModelPath: "final",
        stages: [stage("stage1", { adaptersPath: "s1", finalModelPath: "s1/final" })],
      },
    ],
    [
      "without a top-level final model, the last stage's final model, however many stages there are",
      {
        stage1: { adapters_path: "s1", final_model_path: "s1/final" },
        stage2: { adapters_path: "s2", final_model_path: "s2/final" },
        stage3: { adapters_path: "s3", final_model_path: "s3/final" },
      },
      {
        version: "2.0",
        runId: undefined,
        timestamp: undefined,
        baseModel: undefined,
        finalModelPath: "s3/final",
        stages: [
          stage("stage1", { adaptersPath: "s1", finalModelPath: "s1/final" }),
          stage("stage2", { adaptersPath: "s2", finalModelPath: "s2/final" }),
          stage("stage3", { adaptersPath: "s3", finalModelPath: "s3/final" }),
        ],
      },
    ],
  ])("%s", (_name, raw, manifest) => {
    expect(readRunManifest(raw)).toEqual({ manifest, issues: [] });
  });
});

describe("readRunManifest: what it refuses", () => {
  it.each<[string, unknown, string]>([
    ["an array", [{ stage1: {} }], "must be a JSON object"],
    ["null", null, "must be a JSON object"],
    ["a string", "2.0", "must be a JSON object"],
    ["a version of the wrong type", { version: true, stage1: {} }, 'version must be a string such as "2.0"'],
    ["a null version", { version: null, stage1: {} }, 'version must be a string such as "2.0"'],
    [
      "an unknown version",
      { version: "3.0", stage1: {} },
      "version 3.0 is not one this tool reads (1.0, 2.0); upgrade process-artifacts",
    ],
    [
      "an unknown version written as a number",
      { version: 2.5, stage1: {} },
      "version 2.5 is not one this tool reads (1.0, 2.0); upgrade process-artifacts",
    ],
    [
      "no stages and no adapters",
      { version: "2.0", stage1: "x", final_model_path: "final" },
      "names no stages (stage1, stage2) and no adapters_path; it does not describe a training run",
    ],
  ])("%s", (_name, raw, message) => {
    expect(readRunManifest(raw)).toEqual({ manifest: undefined, issues: [{ file: MANIFEST_FILE, message }] });
  });
});

describe("readRunManifest: paths stay inside the run", () => {
  it.each<[unknown, string | undefined, string | undefined]>([
    [undefined, undefined, undefined],
    [null, undefined, undefined],
    ["", undefined, undefined],
    ["stage1/adapters", "stage1/adapters", undefined],
    ["./stage1/adapters/", "stage1/adapters", undefined],
    ["stage1//adapters//", "stage1/adapters", undefined],
    ["stage1/../stage2/adapters", "stage2/adapters", undefined],
    [".", "", undefined],
    ["./", "", undefined],
    ["..a/adapters", "..a/adapters", undefined],
    // Only a leading drive letter is absolute; a colon further on is an ordinary POSIX name.
    ["stage1/adapters:v2", "stage1/adapters:v2", undefined],
    [5, undefined, "stage1.adapters_path must be a path, got 5"],
    [["a"], undefined, 'stage1.adapters_path must be a path, got ["a"]'],
    [
      "/home/me/run/adapters",
      undefined,
      'stage1.adapters_path is "/home/me/run/adapters"; manifest paths must be relative to the run folder (e.g. ./stage2/adapters)',
    ],
    [
      "~/run/adapters",
      undefined,
      'stage1.adapters_path is "~/run/adapters"; manifest paths must be relative to the run folder (e.g. ./stage2/adapters)',
    ],
    [
      "C:/run/adapters",
      undefined,
      'stage1.adapters_path is "C:/run/adapters"; manifest paths must be relative to the run folder (e.g. ./stage2/adapters)',
    ],
    [
      "stage1\\adapters",
      undefined,
      'stage1.adapters_path is "stage1\\adapters"; manifest paths must be relative to the run folder (e.g. ./stage2/adapters)',
    ],
    [
      "..",
      undefined,
      'stage1.adapters_path is "..", which points outside the run folder; nothing outside the run is published',
    ],
    [
      "../other-run/adapters",
      undefined,
      'stage1.adapters_path is "../other-run/adapters", which points outside the run folder; nothing outside the run is published',
    ],
    [
      "stage1/../../x",
      undefined,
      'stage1.adapters_path is "stage1/../../x", which points outside the run folder; nothing outside the run is published',
    ],
  ])("%j → %j", (value, adaptersPath, problem) => {
    const { manifest, issues } = readRunManifest({ version: "2.0", stage1: { adapters_path: value } });
    expect(manifest?.stages[0]?.adaptersPath).toBe(adaptersPath);
    expect(issues).toEqual(problem === undefined ? [] : [{ file: MANIFEST_FILE, message: problem }]);
  });

  it("checks every path and names each by its key", () => {
    const { manifest, issues } = readRunManifest({
      final_model_path: "/abs/final",
      stage2: {
        adapters_path: "../a",
        training_data_path: 1,
        evaluation_results_path: "~/e",
        final_model_path: "C:\\f",
      },
    });
    expect(manifest?.finalModelPath).toBeUndefined();
    expect(issues.map((issue) => issue.message.split(" ")[0])).toEqual([
      "stage2.adapters_path",
      "stage2.training_data_path",
      "stage2.evaluation_results_path",
      "stage2.final_model_path",
      "final_model_path",
    ]);
  });
});
