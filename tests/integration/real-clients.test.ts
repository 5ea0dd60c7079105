import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, PROJECT_ROOT } from "../helpers/fixtures.js";
import { seededRandom } from "../helpers/random.js";
import { runToCompletion } from "../helpers/run-to-completion.js";
import { buildSafetensors, type TensorSpec } from "../helpers/safetensors-builder.js";
import { jsonl, writeStagedRun } from "../helpers/make-staged-run.js";
import { startHubCommand } from "../helpers/start-hub-command.js";
import { readAllTensors } from "../helpers/tensor-math.js";
import { testdir } from "../helpers/testdir.js";

/**
 * The real clients: what process-artifacts publishes, loaded from the Hub emulator by Hub id with the
 * libraries users load it with (peft, transformers, datasets, huggingface_hub; pinned in
 * tests/real-clients/requirements.txt). Three phases, one process each: python builds a tiny random
 * OLMo-2 and uploads it as the base; this file writes MLX runs that fit it and publishes them with the
 * built CLI; pytest (tests/real-clients/test_real_clients.py) loads everything and compares it with the
 * runs. Without python and those packages the test is skipped with one line, except in CI.
 */

const REAL_CLIENTS = path.join(PROJECT_ROOT, "tests", "real-clients");
const REQUIREMENTS = path.join(REAL_CLIENTS, "requirements.txt");
const BASE_REPO = "alice/tiny-olmo2";

/** The project's venv (made by scripts/setup-python.sh) when there is one, else python3. */
const PYTHON = existsSync(path.join(PROJECT_ROOT, ".venv", "bin", "python"))
  ? path.join(PROJECT_ROOT, ".venv", "bin", "python")
  : "python3";

/** Without importing anything heavy: is every pinned package installed, at its pinned version? */
const PROBE = `
import importlib.metadata as metadata, sys
missing, other = [], []
for line in open(sys.argv[1], encoding="utf-8"):
    requirement = line.split("#")[0].strip()
    if requirement:
        name, pinned = requirement.split("==")
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if installed != pinned:
            other.append(f"{name} {installed} (pinned: {pinned})")
print("; ".join(([f"missing {', '.join(missing)}"] if missing else []) + ([f"has {', '.join(other)}"] if other else [])))
`;

/** Why the real clients cannot run here, or undefined when they can. */
function whyUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", PROBE, REQUIREMENTS], { encoding: "utf8" });
  if (probe.error) {
    return `${PYTHON} not found`;
  }
  if (probe.status !== 0) {
    return `${PYTHON} failed: ${probe.stderr.trim().split("\n").pop() ?? ""}`;
  }
  const problems = probe.stdout.trim();
  return problems === "" ? undefined : `${PYTHON}: ${problems}`;
}

const unavailable = whyUnavailable();
// CI must run them: a CI machine without the packages is a broken CI, not a reason to skip.
const inCi = !["", "0", "false"].includes(process.env.CI ?? "");
const skip = unavailable !== undefined && !inCi;
if (skip) {
  process.stderr.write(`real-client tests skipped: ${unavailable ?? ""} (set up with scripts/setup-python.sh)\n`);
}

/** A module of the base model an adapter can target, as build_base.py reports it. */
interface Target {
  kind: "linear" | "embedding";
  in: number;
  out: number;
}

interface AdapterSpec {
  dtype: "F32" | "BF16";
  rank: number;
  scale: number;
  modules: string[];
  dora?: boolean;
  seed: number;
}

/** Uniform values in [-amplitude, amplitude) as raw little-endian bytes of the dtype. */
function values(count: number, amplitude: number, dtype: "F32" | "BF16", random: () => number): Uint8Array {
  const floats = Float32Array.from({ length: count }, () => (random() * 2 - 1) * amplitude);
  if (dtype === "F32") {
    return new Uint8Array(floats.buffer);
  }
  // bfloat16 is the top half of a float32: round to nearest, ties to even.
  const words = new Uint32Array(floats.buffer);
  const halves = Uint16Array.from(words, (word) => (word + 0x7fff + ((word >>> 16) & 1)) >>> 16);
  return new Uint8Array(halves.buffer);
}

/**
 * mlx-lm's adapter tensors for these modules of this model: `<module>.lora_a` [in, r] at mlx-lm's
 * initial scale (±1/√in), `<module>.lora_b` [r, out] as training leaves it (small, not zero), and for
 * DoRA `<module>.m` [out], a positive magnitude per output row.
 */
function adapterTensors(spec: AdapterSpec, targets: Record<string, Target>): TensorSpec[] {
  const random = seededRandom(spec.seed);
  return spec.modules.flatMap((module) => {
    const target = targets[module];
    if (target === undefined) {
      throw new Error(`the base model has no module ${module}`);
    }
    const tensors: TensorSpec[] = [
      {
        name: `${module}.lora_a`,
        dtype: spec.dtype,
        shape: [target.in, spec.rank],
        data: values(target.in * spec.rank, 1 / Math.sqrt(target.in), spec.dtype, random),
      },
      {
        name: `${module}.lora_b`,
        dtype: spec.dtype,
        shape: [spec.rank, target.out],
        data: values(spec.rank * target.out, 0.05, spec.dtype, random),
      },
    ];
    if (spec.dora) {
      const magnitudes = Float32Array.from({ length: target.out }, () => 0.05 + 0.2 * random());
      tensors.push({ name: `${module}.m`, dtype: "F32", shape: [target.out], data: new Uint8Array(magnitudes.buffer) });
    }
    return tensors;
  });
}

/** adapters.safetensors and adapter_config.json as mlx-lm writes them (local paths and all). */
async function writeAdapter(dir: string, spec: AdapterSpec, targets: Record<string, Target>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const weights = path.join(dir, "adapters.safetensors");
  await writeFile(weights, buildSafetensors(adapterTensors(spec, targets), { style: "mlx" }));
  const layers = new Set(spec.modules.map((module) => /\.layers\.(\d+)\./.exec(module)?.[1]).filter(Boolean));
  await writeFile(
    path.join(dir, "adapter_config.json"),
    JSON.stringify(
      {
        adapter_path: dir,
        batch_size: 1,
        data: "/Users/trainer/mpo-api-authn-server/security-ai-analysis/training-data",
        fine_tune_type: spec.dora ? "dora" : "lora",
        iters: 100,
        learning_rate: 0.0002,
        lora_parameters: { rank: spec.rank, dropout: 0.0, scale: spec.scale },
        model: "/Users/trainer/shared-olmo-models/base/tiny-olmo2",
        num_layers: layers.size,
        seed: 0,
      },
      null,
      4,
    ),
  );
  return weights;
}

/** Training data as the pipeline writes it (one chat per line, some with metadata). Returns split → file. */
async function writeSplits(
  dir: string,
  splits: Record<string, [file: string, rows: number]>,
): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {};
  for (const [split, [name, rows]] of Object.entries(splits)) {
    const file = path.join(dir, name);
    const lines = Array.from({ length: rows }, (_, i) => ({
      messages: [
        { role: "user", content: `${name} question ${i}` },
        { role: "assistant", content: `answer ${i}` },
      ],
      ...(i % 2 === 0 ? { metadata: { quality: "high", source: "webauthn" } } : {}),
    }));
    await writeFile(file, jsonl(lines));
    files[split] = file;
  }
  return files;
}

/**
 * A fused model as mlx-lm's fuse writes it, from the model transformers saved: the same tensors in two
 * shards (mlx's layout, `__metadata__.format` "mlx") with their index, next to config and tokenizer.
 */
async function writeFusedModelRun(run: string, saved: string): Promise<string[]> {
  await mkdir(run, { recursive: true });
  const tensors = [...readAllTensors(await readFile(path.join(saved, "model.safetensors")))]
    .map(([name, tensor]): TensorSpec => ({ name, dtype: tensor.dtype, shape: tensor.shape, data: tensor.bytes }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const half = Math.ceil(tensors.length / 2);
  const shards = [tensors.slice(0, half), tensors.slice(half)];
  const weightMap: Record<string, string> = {};
  const files: string[] = [];
  for (const [index, shard] of shards.entries()) {
    const file = `model-${String(index + 1).padStart(5, "0")}-of-${String(shards.length).padStart(5, "0")}.safetensors`;
    await writeFile(path.join(run, file), buildSafetensors(shard, { style: "mlx", metadata: { format: "mlx" } }));
    shard.forEach((tensor) => (weightMap[tensor.name] = file));
    files.push(file);
  }
  const totalSize = tensors.reduce((sum, tensor) => sum + tensor.data.byteLength, 0);
  await writeFile(
    path.join(run, "model.safetensors.index.json"),
    JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2),
  );
  files.push("model.safetensors.index.json");
  for (const file of await readdir(saved)) {
    if (file !== "model.safetensors") {
      await copyFile(path.join(saved, file), path.join(run, file));
      files.push(file);
    }
  }
  return files;
}

/** One run this test wrote: what it should publish, and from which of its files. */
interface WrittenRun {
  /** Short name of the case in check ids. */
  case: string;
  dir: string;
  /** The MLX adapter file of the stage that is published. */
  adapter?: string;
  /** The fused model's files, relative to the run. */
  fused?: string[];
  /** Split name → the JSONL file the dataset repo should serve for it. */
  splits?: Record<string, string>;
}

const runName = (day: number): string => `webauthn-security-sequential-202510${String(day).padStart(2, "0")}_120000`;
const inLayers = (layers: number[], modules: string[]): string[] =>
  layers.flatMap((layer) => modules.map((module) => `model.layers.${layer}.${module}`));
const ATTENTION = ["q_proj", "k_proj", "v_proj", "o_proj"].map((module) => `self_attn.${module}`);
const MLP = ["gate_proj", "up_proj", "down_proj"].map((module) => `mlp.${module}`);

/**
 * The runs, each fitting the base model: F32 LoRA on every linear layer plus the embedding and head
 * (with training data), BF16 LoRA on one layer, a two-stage run (stage 2 published), DoRA, and a fused
 * model. Scales and ranks differ between runs, so no mix-up between them can pass.
 */
async function writeRuns(models: string, targets: Record<string, Target>, saved: string): Promise<WrittenRun[]> {
  const f32 = path.join(models, runName(1));
  const bf16 = path.join(models, runName(2));
  const dora = path.join(models, runName(4));
  const fused = path.join(models, runName(5));
  const staged = await writeStagedRun(models, runName(3));
  const stagedSpec = (seed: number): AdapterSpec => ({
    dtype: "F32",
    rank: 8,
    scale: 1.5,
    modules: inLayers([0, 1], ATTENTION),
    seed,
  });
  // Stage 1 is trained too, differently: publishing it instead of stage 2 must show.
  await writeAdapter(path.join(staged, "stage1", "adapters"), stagedSpec(31), targets);
  const stagedData = path.join(staged, "stage2", "training-data");
  const f32Splits = await writeSplits(path.join(f32, "training-data"), {
    train: ["train.jsonl", 5],
    validation: ["validation.jsonl", 3],
    test: ["test.jsonl", 2],
  });
  return [
    {
      case: "f32",
      dir: f32,
      adapter: await writeAdapter(
        path.join(f32, "adapters"),
        {
          dtype: "F32",
          rank: 4,
          scale: 2,
          modules: [...inLayers([0, 1], [...ATTENTION, ...MLP]), "model.embed_tokens", "lm_head"],
          seed: 1,
        },
        targets,
      ),
      splits: f32Splits,
    },
    {
      case: "bf16",
      dir: bf16,
      adapter: await writeAdapter(
        path.join(bf16, "adapters"),
        {
          dtype: "BF16",
          rank: 2,
          scale: 8,
          modules: inLayers([1], ["self_attn.q_proj", "self_attn.v_proj", "mlp.down_proj"]),
          seed: 2,
        },
        targets,
      ),
    },
    {
      case: "staged",
      dir: staged,
      adapter: await writeAdapter(path.join(staged, "stage2", "adapters"), stagedSpec(32), targets),
      // writeStagedRun's stage-2 data, in the run manager's spelling (valid.jsonl).
      splits: {
        train: path.join(stagedData, "train.jsonl"),
        validation: path.join(stagedData, "valid.jsonl"),
        test: path.join(stagedData, "test.jsonl"),
      },
    },
    {
      case: "dora",
      dir: dora,
      adapter: await writeAdapter(
        path.join(dora, "adapters"),
        {
          dtype: "F32",
          rank: 4,
          scale: 1,
          dora: true,
          modules: inLayers([0, 1], ["self_attn.q_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.down_proj"]),
          seed: 4,
        },
        targets,
      ),
    },
    { case: "fused", dir: fused, fused: await writeFusedModelRun(fused, saved) },
  ];
}

/** What `--json` prints for one upload (the parts read here). */
interface UploadResult {
  status: string;
  repoId: string;
  files: Array<{ path: string }>;
  dataset?: { repoId: string; files: Array<{ path: string }> };
}

/** What GET /__emulator/state answers (the parts read here). */
interface HubState {
  repos: Array<{ type: string; id: string; files: Array<{ path: string; size: number; sha256: string | null }> }>;
}

/** Repo names as README "Where runs are published" gives them (a repo per run, the emulator's user). */
const repoOf = (run: WrittenRun): string => `alice/${path.basename(run.dir)}`;
const datasetOf = (run: WrittenRun): string => `${repoOf(run)}-training-data`;

/** What test_real_clients.py checks, and against which local files. */
function buildManifest(runs: WrittenRun[], results: Map<WrittenRun, UploadResult>, state: HubState) {
  const stored = (type: string, id: string): HubState["repos"][number]["files"] =>
    state.repos.find((repo) => repo.type === type && repo.id === id)?.files ?? [];
  const adapterCase = (run: WrittenRun, dtype: string, suffix = "") => ({
    case: `${run.case}${suffix}`,
    repo: repoOf(run),
    weights: run.adapter,
    config: path.join(path.dirname(run.adapter ?? ""), "adapter_config.json"),
    dtype,
  });
  const withData = runs.filter((run) => run.splits !== undefined);
  return {
    base: BASE_REPO,
    adapters: runs
      .filter((run) => run.adapter !== undefined)
      .flatMap((run) =>
        run.case === "bf16"
          ? // The BF16 adapter also on the base loaded in bfloat16, as users with little memory load it.
            [adapterCase(run, "float32"), adapterCase(run, "bfloat16", "-in-bf16-model")]
          : [adapterCase(run, "float32")],
      ),
    fused: runs
      .filter((run) => run.fused !== undefined)
      .map((run) => ({ case: run.case, repo: repoOf(run), run: run.dir })),
    datasets: withData.map((run) => ({ case: run.case, repo: datasetOf(run), splits: run.splits })),
    repos: [
      ...runs.map((run) => ({
        repo: repoOf(run),
        type: "model",
        published: results.get(run)?.files.map((file) => file.path) ?? [],
        stored: stored("model", repoOf(run)),
        // Published byte for byte: the MLX original under mlx/, a fused model's own files.
        fromRun: Object.fromEntries(
          run.fused
            ? run.fused.map((file) => [file, path.join(run.dir, file)])
            : [["mlx/adapters.safetensors", run.adapter]],
        ),
      })),
      ...withData.map((run) => ({
        repo: datasetOf(run),
        type: "dataset",
        published: results.get(run)?.dataset?.files.map((file) => file.path) ?? [],
        stored: stored("dataset", datasetOf(run)),
        fromRun: Object.fromEntries(Object.values(run.splits ?? {}).map((file) => [path.basename(file), file])),
      })),
    ],
    cards: runs.map((run) => ({
      repo: repoOf(run),
      library: run.fused ? "transformers" : "peft",
      dataset: run.splits ? datasetOf(run) : null,
    })),
  };
}

/** The id of every check test_real_clients.py must run and pass for this manifest. */
function expectedChecks(manifest: ReturnType<typeof buildManifest>): string[] {
  return [
    ...manifest.adapters.map((a) => `test_peft_loads_the_adapter_as_mlx_trained_it[${a.case}]`),
    ...manifest.adapters
      .filter((a) => a.dtype === "float32")
      .map((a) => `test_auto_peft_fetches_the_base_by_the_id_in_adapter_config[${a.case}]`),
    ...manifest.fused.map((f) => `test_transformers_loads_the_fused_model_with_the_saved_tensors[${f.case}]`),
    ...manifest.datasets.map((d) => `test_load_dataset_gives_the_runs_splits_and_rows[${d.case}]`),
    ...manifest.repos.map((r) => `test_snapshot_download_is_byte_identical_to_what_was_published[${r.type}:${r.repo}]`),
    ...manifest.cards.map((c) => `test_model_card_metadata_names_the_base_and_the_dataset[${c.repo}]`),
    ...manifest.cards.map((c) => `test_the_cards_code_runs_and_generates_text[${c.repo}]`),
  ];
}

describe("real clients load what process-artifacts publishes", () => {
  it.skipIf(skip)(
    `peft, transformers, datasets and huggingface_hub load every published run as it was trained${skip ? ` (skipped: ${unavailable ?? ""})` : ""}`,
    { timeout: 600_000 },
    async () => {
      expect(unavailable, "CI runs the real-client tests: install them with scripts/setup-python.sh").toBe(undefined);
      const hub = await startHubCommand([]);
      const work = await testdir();
      const [home, tmp, models] = ["home", "tmp", "models"].map((dir) => path.join(work, dir)) as [
        string,
        string,
        string,
      ];
      await Promise.all([home, tmp, models].map((dir) => mkdir(dir)));
      const PATH = process.env.PATH ?? "/usr/bin:/bin";
      const pythonEnv: Record<string, string> = {
        PATH,
        HOME: home,
        TMPDIR: tmp,
        HF_HOME: path.join(work, "hf-home"),
        HF_ENDPOINT: hub.info.url,
        HF_TOKEN: hub.info.token,
        HF_HUB_DISABLE_PROGRESS_BARS: "1",
        HF_HUB_DISABLE_TELEMETRY: "1",
        TOKENIZERS_PARALLELISM: "false",
        OMP_NUM_THREADS: "1",
        PYTHONDONTWRITEBYTECODE: "1",
      };

      // Phase 1: the base model, built by transformers and uploaded by huggingface_hub.
      const saved = path.join(work, "tiny-olmo2");
      const built = await runToCompletion(PYTHON, [path.join(REAL_CLIENTS, "build_base.py"), saved, BASE_REPO], {
        env: pythonEnv,
        cwd: work,
      });
      expect(built.code, `build_base.py failed:\n${built.stderr}`).toBe(0);
      const { modules: targets } = JSON.parse(built.stdout) as { modules: Record<string, Target> };

      // Phase 2: runs that fit that model, each published with the built CLI as the pipeline calls it.
      const runs = await writeRuns(models, targets, saved);
      const results = new Map<WrittenRun, UploadResult>();
      for (const run of runs) {
        const name = path.basename(run.dir);
        const published = await runToCompletion(
          process.execPath,
          [CLI_BIN, "--only-upload", "--model-dir", models, "--run", name, "--base-model", BASE_REPO, "--json"],
          { env: { PATH, HOME: home, TMPDIR: tmp, HF_ENDPOINT: hub.info.url, HF_TOKEN: hub.info.token } },
        );
        expect(published.code, `publishing ${name}:\n${published.stderr}`).toBe(0);
        const result = JSON.parse(published.stdout) as UploadResult;
        expect([result.status, result.repoId, result.dataset?.repoId], published.stderr).toEqual([
          "uploaded",
          repoOf(run),
          run.splits ? datasetOf(run) : undefined,
        ]);
        results.set(run, result);
      }
      const state = (await (await fetch(`${hub.info.url}/__emulator/state`)).json()) as HubState;

      // Phase 3: every check in one pytest process, loading by Hub id.
      const manifest = buildManifest(runs, results, state);
      const manifestFile = path.join(work, "manifest.json");
      const reportFile = path.join(work, "report.json");
      await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
      const checked = await runToCompletion(
        PYTHON,
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", path.join(work, "pytest"), REAL_CLIENTS],
        { env: { ...pythonEnv, REAL_CLIENTS_MANIFEST: manifestFile, REAL_CLIENTS_REPORT: reportFile }, cwd: work },
      );
      const outcomes = (await readFile(reportFile, "utf8").then(JSON.parse, () => ({}))) as Record<string, string>;
      const output = `${checked.stdout}${checked.stderr}`.slice(-6000);
      expect(outcomes, `pytest said:\n${output}`).toEqual(
        Object.fromEntries(expectedChecks(manifest).map((id) => [id, "passed"])),
      );
      expect(checked.code, output).toBe(0);
    },
  );
});
