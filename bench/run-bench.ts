/**
 * `npm run bench`: measures the claims of the README against baselines taken in the same run, on
 * this machine, with the Hub emulator in its own process on 127.0.0.1. Every figure is a median of
 * RUNS repetitions and is reported as a ratio to its baseline, because absolute times on a shared
 * 2-core machine are noise. Writes bench/results.json. Everything it creates lives in one temp
 * folder, removed at the end.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serializeHeader, type OutputTensor } from "../src/safetensors/serialize-header.js";
import { DEFAULT_TOKEN } from "../tools/hub-emulator/fake-hub.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "dist", "src", "bin.js");
const REPORT_RSS = path.join(ROOT, "tests", "helpers", "report-rss.mjs");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MiB = 1024 * 1024;
const FUSED_BYTES = Number(process.env.BENCH_FUSED_MIB ?? 2048) * MiB;
const ADAPTER_BYTES = Number(process.env.BENCH_ADAPTER_MIB ?? 512) * MiB;
const FOLDERS = 10_000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

interface Timed {
  seconds: number;
  rss: number | undefined;
  code: number | null;
  stdout: string;
}

async function timed(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  withRss = false,
): Promise<Timed> {
  const rssFile = path.join(os.tmpdir(), `pa-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const fullArgs = withRss ? ["--import", REPORT_RSS, ...args] : args;
  const started = performance.now();
  const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(command, fullArgs, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env, ...(withRss ? { REPORT_RSS_FILE: rssFile } : {}) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
  const seconds = (performance.now() - started) / 1000;
  const rss = withRss ? Number(await readFile(rssFile, "utf8").catch(() => "NaN")) : undefined;
  await rm(rssFile, { force: true });
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}`);
  }
  return { seconds, rss, code: result.code, stdout: result.stdout };
}

async function startEmulator(): Promise<{
  url: string;
  stats(): Promise<{ requests: number; puts: number; putBytes: number; commits: number }>;
  stop(): Promise<void>;
}> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "hub-emulator", "serve-cli.ts")], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split("\n")[0];
      if (buffered.includes("\n") && line) {
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`emulator exited ${code}`)));
  });
  return {
    url,
    stats: async () =>
      (await (await fetch(`${url}/__stats`)).json()) as {
        requests: number;
        puts: number;
        putBytes: number;
        commits: number;
      },
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("close");
        child.on("close", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A safetensors file of `tensors`, data streamed from a shared random block so multi-GB files cost only disk time. */
async function writeSafetensorsFile(
  file: string,
  tensors: OutputTensor[],
  metadata: Record<string, string> | null,
  block: Buffer,
): Promise<void> {
  const { bytes, sizes } = serializeHeader(tensors, metadata);
  const out = createWriteStream(file);
  const write = (chunk: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      out.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  await write(bytes);
  for (const [index, size] of sizes.entries()) {
    let left = size;
    // Offsets stay multiples of 4 so float data keeps its alignment.
    let offset = ((index * 4099) % block.length) & ~3;
    while (left > 0) {
      const take = Math.min(left, block.length - offset);
      await write(block.subarray(offset, offset + take));
      left -= take;
      offset = 0;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function makeFusedRun(dir: string, block: Buffer): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const tensorBytes = 64 * MiB;
  const count = Math.max(3, Math.round(FUSED_BYTES / tensorBytes));
  const shards = 3;
  const weightMap: Record<string, string> = {};
  const files: string[] = [];
  for (let shard = 1; shard <= shards; shard++) {
    const name = `model-0000${shard}-of-00003.safetensors`;
    const tensors: OutputTensor[] = [];
    for (let i = shard - 1; i < count; i += shards) {
      const tensor = { name: `model.layers.${i}.mlp.weight`, dtype: "F32", shape: [tensorBytes / 4] };
      tensors.push(tensor);
      weightMap[tensor.name] = name;
    }
    await writeSafetensorsFile(path.join(dir, name), tensors, { format: "pt" }, block);
    files.push(path.join(dir, name));
  }
  const small: Record<string, string> = {
    "model.safetensors.index.json": JSON.stringify({
      metadata: { total_size: count * tensorBytes },
      weight_map: weightMap,
    }),
    "config.json": JSON.stringify({ architectures: ["Olmo2ForCausalLM"], model_type: "olmo2" }),
    "tokenizer.json": JSON.stringify({
      version: "1.0",
      model: { vocab: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`tok${i}`, i])) },
    }),
    "tokenizer_config.json": JSON.stringify({ chat_template: "{{ messages }}" }),
    "generation_config.json": JSON.stringify({ max_new_tokens: 256 }),
  };
  for (const [name, content] of Object.entries(small)) {
    await writeFile(path.join(dir, name), content);
    files.push(path.join(dir, name));
  }
  return files;
}

async function makeAdapterRun(dir: string, block: Buffer): Promise<string> {
  await mkdir(path.join(dir, "adapters"), { recursive: true });
  const hidden = 4096;
  const rank = 256;
  const moduleBytes = 2 * hidden * rank * 4;
  const modules = Math.max(1, Math.round(ADAPTER_BYTES / moduleBytes));
  const names = ["q_proj", "k_proj", "v_proj", "o_proj"];
  const tensors: OutputTensor[] = [];
  for (let m = 0; m < modules; m++) {
    const prefix = `model.layers.${Math.floor(m / names.length)}.self_attn.${names[m % names.length] ?? "q_proj"}`;
    tensors.push(
      { name: `${prefix}.lora_a`, dtype: "F32", shape: [hidden, rank] },
      { name: `${prefix}.lora_b`, dtype: "F32", shape: [rank, hidden] },
    );
  }
  tensors.sort((a, b) => (a.name < b.name ? -1 : 1));
  const file = path.join(dir, "adapters", "adapters.safetensors");
  await writeSafetensorsFile(file, tensors, null, block);
  await writeFile(
    path.join(dir, "adapters", "adapter_config.json"),
    JSON.stringify({
      fine_tune_type: "lora",
      lora_parameters: { rank, scale: 20, dropout: 0 },
      num_layers: modules / names.length,
    }),
  );
  return file;
}

function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const scratch = await mkdtemp(path.join(os.tmpdir(), "pa-bench-"));
try {
  log(`bench: scratch folder ${scratch}; ${RUNS} runs per measurement`);
  // Random data that does not compress or deduplicate; reused across files to keep generation fast.
  const block = randomBytes(64 * MiB + 4099);
  const fusedModels = path.join(scratch, "fused-models");
  const fusedRun = path.join(fusedModels, "webauthn-security-sequential_20250926_120000");
  log("bench: writing the fused model run");
  const fusedFiles = await makeFusedRun(fusedRun, block);
  const adapterModels = path.join(scratch, "adapter-models");
  log("bench: writing the MLX adapter run");
  // Adapter values must be finite floats, or validation rightly refuses them as a diverged training.
  const floats = new Float32Array((16 * MiB) / 4 + 1025);
  for (let i = 0; i < floats.length; i++) {
    floats[i] = Math.sin(i) * 0.01;
  }
  const adapterFile = await makeAdapterRun(
    path.join(adapterModels, "webauthn-security-sequential_20250926_120000"),
    Buffer.from(floats.buffer),
  );
  const folders = path.join(scratch, "folders");
  log(`bench: creating ${FOLDERS} candidate folders`);
  for (let i = 0; i < FOLDERS; i++) {
    const stamp = new Date(Date.UTC(2024, 0, 1) + i * 60_000)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace("T", "_")
      .slice(0, 15);
    await mkdir(path.join(folders, `webauthn-security-sequential_${stamp}`, "adapters"), { recursive: true });
  }

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    HOME: path.join(scratch, "home"),
    TMPDIR: scratch,
    HF_TOKEN: DEFAULT_TOKEN,
    ...extra,
  });

  log("bench: sha256sum baseline");
  const sha = [] as number[];
  for (let i = 0; i < RUNS; i++) {
    sha.push((await timed("sha256sum", fusedFiles)).seconds);
  }

  log("bench: process-artifacts upload (fresh emulator and cache each run) + unchanged re-run");
  const ours: Timed[] = [];
  const rerun: Array<Timed & { stats: { requests: number; puts: number; putBytes: number; commits: number } }> = [];
  let firstStats = { requests: 0, puts: 0, putBytes: 0, commits: 0 };
  for (let i = 0; i < RUNS; i++) {
    const emulator = await startEmulator();
    const cache = path.join(scratch, `cache-${i}`);
    try {
      ours.push(
        await timed(
          process.execPath,
          [BIN, "--only-upload", "--model-dir", fusedModels],
          env({ HF_ENDPOINT: emulator.url, XDG_CACHE_HOME: cache }),
          true,
        ),
      );
      firstStats = await emulator.stats();
      const again = await timed(
        process.execPath,
        [BIN, "--only-upload", "--model-dir", fusedModels],
        env({ HF_ENDPOINT: emulator.url, XDG_CACHE_HOME: cache }),
        true,
      );
      const after = await emulator.stats();
      rerun.push({
        ...again,
        stats: {
          requests: after.requests - firstStats.requests,
          puts: after.puts - firstStats.puts,
          putBytes: after.putBytes - firstStats.putBytes,
          commits: after.commits - firstStats.commits,
        },
      });
    } finally {
      await emulator.stop();
    }
  }

  log("bench: bare @huggingface/hub uploadFiles");
  const bare: Timed[] = [];
  for (let i = 0; i < RUNS; i++) {
    const emulator = await startEmulator();
    try {
      bare.push(
        await timed(
          process.execPath,
          [path.join(ROOT, "bench", "bare-upload.mjs"), emulator.url, DEFAULT_TOKEN, "alice/bare-upload", fusedRun],
          {},
          true,
        ),
      );
    } finally {
      await emulator.stop();
    }
  }

  log("bench: MLX → PEFT conversion (--dry-run) vs cp");
  const convert: Timed[] = [];
  const copy: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    convert.push(
      await timed(
        process.execPath,
        [BIN, "--dry-run", "--model-dir", adapterModels, "--base-model", "allenai/OLMo-2-0425-1B-Instruct"],
        env(),
        true,
      ),
    );
    copy.push((await timed("cp", [adapterFile, path.join(scratch, "copy.safetensors")])).seconds);
    await rm(path.join(scratch, "copy.safetensors"), { force: true });
  }

  log("bench: start-up");
  const nodeStart: number[] = [];
  const help: number[] = [];
  const listRuns: number[] = [];
  for (let i = 0; i < Math.max(RUNS, 10); i++) {
    nodeStart.push((await timed(process.execPath, ["-e", "0"])).seconds);
    help.push((await timed(process.execPath, [BIN, "--help"])).seconds);
  }
  for (let i = 0; i < RUNS; i++) {
    listRuns.push((await timed(process.execPath, [BIN, "--list-runs", "--model-dir", folders], env())).seconds);
  }
  const { discoverRuns } = await import("../src/runs/discover-runs.js");
  const discovery: number[] = [];
  for (let i = 0; i < Math.max(RUNS, 5); i++) {
    const started = performance.now();
    const found = await discoverRuns(folders, "bench");
    discovery.push((performance.now() - started) / 1000);
    if (found.runs.length !== FOLDERS) {
      throw new Error(`discovery found ${found.runs.length} runs, expected ${FOLDERS}`);
    }
  }

  const fusedBytes = firstStats.putBytes;
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    runs: RUNS,
    data: {
      fusedModelBytes: FUSED_BYTES,
      fusedFiles: fusedFiles.length,
      adapterBytes: ADAPTER_BYTES,
      candidateFolders: FOLDERS,
    },
    upload: {
      oursSeconds: median(ours.map((t) => t.seconds)),
      sha256sumSeconds: median(sha),
      ratioVsSha256sum: median(ours.map((t) => t.seconds)) / median(sha),
      bareUploadFilesSeconds: median(bare.map((t) => t.seconds)),
      ratioVsBareUploadFiles: median(ours.map((t) => t.seconds)) / median(bare.map((t) => t.seconds)),
      oursPeakRssMiB: median(ours.map((t) => (t.rss ?? 0) / MiB)),
      barePeakRssMiB: median(bare.map((t) => (t.rss ?? 0) / MiB)),
      bytesSentFirstRun: fusedBytes,
    },
    unchangedRerun: {
      seconds: median(rerun.map((t) => t.seconds)),
      ratioVsFirstUpload: median(rerun.map((t) => t.seconds)) / median(ours.map((t) => t.seconds)),
      bytesSent: Math.max(...rerun.map((t) => t.stats.putBytes)),
      requests: median(rerun.map((t) => t.stats.requests)),
      commitsCreated: Math.max(...rerun.map((t) => t.stats.commits)),
      peakRssMiB: median(rerun.map((t) => (t.rss ?? 0) / MiB)),
    },
    conversion: {
      dryRunWithConversionSeconds: median(convert.map((t) => t.seconds)),
      cpSeconds: median(copy),
      ratioVsCp: median(convert.map((t) => t.seconds)) / median(copy),
      peakRssMiB: median(convert.map((t) => (t.rss ?? 0) / MiB)),
    },
    startup: {
      nodeE0Ms: median(nodeStart) * 1000,
      helpMs: median(help) * 1000,
      helpRatioVsNode: median(help) / median(nodeStart),
      listRuns10kMs: median(listRuns) * 1000,
      listRunsRatioVsNode: median(listRuns) / median(nodeStart),
      discovery10kMs: median(discovery) * 1000,
    },
  };

  const targets: Array<[string, string, boolean]> = [
    ["upload ≤ 1.3 × sha256sum", results.upload.ratioVsSha256sum.toFixed(2), results.upload.ratioVsSha256sum <= 1.3],
    [
      "upload faster than bare uploadFiles",
      results.upload.ratioVsBareUploadFiles.toFixed(2),
      results.upload.ratioVsBareUploadFiles < 1,
    ],
    ["peak RSS ≤ 200 MiB (upload)", results.upload.oursPeakRssMiB.toFixed(0), results.upload.oursPeakRssMiB <= 200],
    ["peak RSS ≤ 200 MiB (conversion)", results.conversion.peakRssMiB.toFixed(0), results.conversion.peakRssMiB <= 200],
    [
      "unchanged re-run: 0 bytes sent",
      String(results.unchangedRerun.bytesSent),
      results.unchangedRerun.bytesSent === 0,
    ],
    [
      "unchanged re-run: no commit",
      String(results.unchangedRerun.commitsCreated),
      results.unchangedRerun.commitsCreated === 0,
    ],
    ["unchanged re-run ≤ 1 s", results.unchangedRerun.seconds.toFixed(2), results.unchangedRerun.seconds <= 1],
    [
      "discovery of 10,000 folders ≤ 100 ms",
      results.startup.discovery10kMs.toFixed(1),
      results.startup.discovery10kMs <= 100,
    ],
    ["--help ≤ 2 × node -e 0", results.startup.helpRatioVsNode.toFixed(2), results.startup.helpRatioVsNode <= 2],
  ];
  await writeFile(
    path.join(ROOT, "bench", "results.json"),
    `${JSON.stringify({ ...results, targets: targets.map(([name, value, met]) => ({ name, value, met })) }, null, 2)}\n`,
  );

  const rows: Array<[string, string]> = [
    [
      "upload 2 GiB fused model (s)",
      `${results.upload.oursSeconds.toFixed(2)}  = ${results.upload.ratioVsSha256sum.toFixed(2)} × sha256sum (${results.upload.sha256sumSeconds.toFixed(2)} s)`,
    ],
    [
      "  vs bare uploadFiles",
      `${results.upload.ratioVsBareUploadFiles.toFixed(2)} × (${results.upload.bareUploadFilesSeconds.toFixed(2)} s)`,
    ],
    [
      "  peak RSS (MiB)",
      `${results.upload.oursPeakRssMiB.toFixed(0)}  (bare uploadFiles: ${results.upload.barePeakRssMiB.toFixed(0)})`,
    ],
    [
      "unchanged re-run (s)",
      `${results.unchangedRerun.seconds.toFixed(2)}, ${results.unchangedRerun.bytesSent} bytes, ${results.unchangedRerun.requests} requests, ${results.unchangedRerun.commitsCreated} commits`,
    ],
    [
      "MLX→PEFT 512 MiB (dry run, s)",
      `${results.conversion.dryRunWithConversionSeconds.toFixed(2)}  = ${results.conversion.ratioVsCp.toFixed(2)} × cp (${results.conversion.cpSeconds.toFixed(2)} s), ${results.conversion.peakRssMiB.toFixed(0)} MiB peak`,
    ],
    [
      "--help (ms)",
      `${results.startup.helpMs.toFixed(0)}  = ${results.startup.helpRatioVsNode.toFixed(2)} × node -e 0 (${results.startup.nodeE0Ms.toFixed(0)} ms)`,
    ],
    [
      "--list-runs, 10,000 folders (ms)",
      `${results.startup.listRuns10kMs.toFixed(0)}  = ${results.startup.listRunsRatioVsNode.toFixed(1)} × node -e 0`,
    ],
    ["run discovery, 10,000 folders (ms)", results.startup.discovery10kMs.toFixed(1)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(
    `\nprocess-artifacts benchmark — ${String(results.machine.cpu)}, ${String(results.machine.cpus)} cores, Node ${process.version}, median of ${RUNS}\n\n`,
  );
  for (const [name, value] of rows) {
    process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);
  }
  process.stdout.write("\nTargets:\n");
  for (const [name, value, met] of targets) {
    process.stdout.write(`  ${met ? "✓" : "✗"} ${name}: ${value}\n`);
  }
  process.stdout.write("\nWrote bench/results.json\n");
} finally {
  await rm(scratch, { recursive: true, force: true });
}
