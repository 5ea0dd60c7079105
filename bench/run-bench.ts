/**
 * `npm run bench`: measures the claims of the README against baselines taken in the same run, on
 * this machine, with the Hub emulator in its own process on 127.0.0.1. Every figure is a median of
 * RUNS repetitions and is reported as a ratio to its baseline, because absolute times on a shared
 * 2-core machine are noise. Writes bench/results.json. Everything it creates lives in one temp
 * folder, removed at the end.
 *
 * The reference client is python huggingface_hub's upload_folder from the project's .venv
 * (scripts/setup-python.sh: huggingface_hub 1.33 with hf_xet 1.6, as a default pip install has it):
 * with Xet on (its default) it is the peer of our Xet uploads; with HF_HUB_DISABLE_XET=1 the peer
 * of our LFS path (--no-xet). BENCH_PYTHON names another python; without one that can import
 * huggingface_hub and hf_xet, the python figures are skipped with a line saying why.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_TOKEN } from "../emulator/fake-hub.js";
import { makeAdapterRun } from "./make-adapter-run.js";
import { makeFusedRun } from "./make-fused-run.js";
import { makeWeightsRun } from "./make-weights-run.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The command as package.json ships it. */
const BIN = path.join(
  ROOT,
  (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    "process-artifacts"
  ] ?? "missing-bin",
);
const REPORT_RSS = path.join(ROOT, "tests", "helpers", "report-rss.mjs");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const FUSED_BYTES = Number(process.env.BENCH_FUSED_MIB ?? 512) * MiB;
const ADAPTER_BYTES = Number(process.env.BENCH_ADAPTER_MIB ?? 512) * MiB;
/** The fused run of the Xet comparison: first upload, then the next run with a quarter of each shard changed. */
const XET_BYTES = Number(process.env.BENCH_XET_MIB ?? 256) * MiB;
const LATENCY_MS = 100;
const FOLDERS = 10_000;
const BASE_MODEL = "allenai/OLMo-2-0425-1B-Instruct";
const PYTHON = process.env.BENCH_PYTHON ?? path.join(ROOT, ".venv", "bin", "python");

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
  /** user + sys of the child (all its threads), from the shell's `times`. */
  cpu: number;
  /** Peak resident memory in bytes: from the preload (node) or the script itself (python, BENCH_RSS_FILE). */
  rss: number | undefined;
  stdout: string;
}

/** Runs a command under bash so `times` can report the child's CPU time; RSS via the preload for node. */
async function timed(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; rss?: boolean; pythonRss?: boolean } = {},
): Promise<Timed> {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const rssFile = path.join(os.tmpdir(), `pa-bench-rss-${tag}`);
  const timesFile = path.join(os.tmpdir(), `pa-bench-times-${tag}`);
  const fullArgs = options.rss ? ["--import", REPORT_RSS, ...args] : args;
  const started = performance.now();
  let stdout = "";
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      "bash",
      ["-c", '"$@"; code=$?; times > "$BENCH_TIMES_FILE"; exit $code', "bash", command, ...fullArgs],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          ...options.env,
          BENCH_TIMES_FILE: timesFile,
          ...(options.rss ? { REPORT_RSS_FILE: rssFile } : {}),
          ...(options.pythonRss ? { BENCH_RSS_FILE: rssFile } : {}),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (exit) => {
      if (exit !== 0) {
        process.stderr.write(stderr);
      }
      resolve(exit);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const times = await readFile(timesFile, "utf8").catch(() => "");
  // `times`: the shell's own user/sys, then its children's: "0m1.234s 0m0.123s".
  const children = times.trim().split("\n")[1] ?? "";
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, [, minutes, secs]) => sum + Number(minutes) * 60 + Number(secs),
    0,
  );
  const rss = options.rss || options.pythonRss ? Number(await readFile(rssFile, "utf8").catch(() => "NaN")) : undefined;
  await rm(rssFile, { force: true });
  await rm(timesFile, { force: true });
  if (code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${code}`);
  }
  return { seconds, cpu, rss, stdout };
}

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  bytes: number;
  start: number;
  end: number;
}

interface Traffic {
  requests: number;
  puts: number;
  putBytes: number;
  /** Bodies sent to the Xet CAS: xorbs and shards. */
  xetBytes: number;
  /** Everything sent to storage: LFS PUTs, Xet xorbs and shards. */
  storageBytes: number;
  commits: number;
  /** Requests that started only after every earlier request had ended: the round trips a client waits for one after another. */
  sequential: number;
}

function traffic(requests: LoggedRequest[], commits: number): Traffic {
  let sequential = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const request of [...requests].sort((a, b) => a.start - b.start)) {
    if (request.start >= lastEnd) {
      sequential++;
    }
    lastEnd = Math.max(lastEnd, request.end);
  }
  const puts = requests.filter((r) => r.method === "PUT");
  const putBytes = puts.reduce((sum, r) => sum + r.bytes, 0);
  const xetBytes = requests
    .filter((r) => r.method === "POST" && /^\/__xet\/(?:v1\/xorbs\/|v[12]\/shards$)/.test(r.path))
    .reduce((sum, r) => sum + r.bytes, 0);
  return {
    requests: requests.length,
    puts: puts.length,
    putBytes,
    xetBytes,
    storageBytes: putBytes + xetBytes,
    commits,
    sequential,
  };
}

interface Emulator {
  url: string;
  /** Traffic since the previous call. */
  traffic(): Promise<Traffic>;
  stop(): Promise<void>;
}

async function startEmulator(delayMs = 0): Promise<Emulator> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "bench", "serve-bench-hub.ts"), "--delay-ms", String(delayMs)],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
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
  let commitsBefore = 0;
  return {
    url,
    traffic: async () => {
      const body = (await (await fetch(`${url}/__log`)).json()) as { requests: LoggedRequest[]; commits: number };
      const result = traffic(body.requests, body.commits - commitsBefore);
      commitsBefore = body.commits;
      return result;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("close");
        child.on("close", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Whether python huggingface_hub with hf_xet can run here, or why not. */
function findPython(): { env: Record<string, string> } | { skipped: string } {
  if (!existsSync(PYTHON)) {
    return { skipped: `${PYTHON} not found (scripts/setup-python.sh makes .venv; BENCH_PYTHON names another)` };
  }
  const env = { HF_HUB_DISABLE_TELEMETRY: "1" };
  const probe = spawnSync(PYTHON, ["-c", "import huggingface_hub, hf_xet"], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
  if (probe.status !== 0) {
    const reason = probe.stderr.trim().split("\n").at(-1) ?? `exit ${probe.status}`;
    return { skipped: `${PYTHON} cannot import huggingface_hub and hf_xet (${reason})` };
  }
  return { env };
}

/** The versions the python peer runs, for results.json. */
function pythonVersions(): string {
  const probe = spawnSync(
    PYTHON,
    [
      "-c",
      "from importlib.metadata import version; print(f\"huggingface_hub {version('huggingface_hub')}, hf_xet {version('hf_xet')}\")",
    ],
    { encoding: "utf8" },
  );
  return probe.stdout.trim();
}

function machine(): { cpus: number; cpu: string; memoryGiB: number; node: string; platform: string } {
  return {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const scratch = await mkdtemp(path.join(os.tmpdir(), "pa-bench-"));
/** The 1-minute load average when the bench started: other work on the machine skews every absolute figure. */
const loadAtStart = os.loadavg()[0] ?? 0;
const benchStarted = performance.now();
try {
  log(`bench: scratch folder ${scratch}; ${RUNS} runs per measurement`);
  const python = findPython();
  if ("skipped" in python) {
    log(`bench: python huggingface_hub skipped: ${python.skipped}`);
  }
  // Random data that does not compress or deduplicate; reused across files to keep generation fast.
  const block = randomBytes(64 * MiB + 4099);
  const runName = "webauthn-security-sequential_20250926_120000";
  const fusedModels = path.join(scratch, "fused-models");
  const fusedRun = path.join(fusedModels, runName);
  log("bench: writing the fused model run");
  const fusedFiles = await makeFusedRun(fusedRun, FUSED_BYTES, block);
  const fusedSize = (await Promise.all(fusedFiles.map((file) => stat(file)))).reduce((sum, s) => sum + s.size, 0);
  log("bench: writing the MLX adapter runs");
  const adapterModels = path.join(scratch, "adapter-models");
  const adapterFile = await makeAdapterRun(path.join(adapterModels, runName), ADAPTER_BYTES);
  const loraModels = path.join(scratch, "lora-models");
  await makeAdapterRun(path.join(loraModels, runName), 8 * MiB, { rank: 8 });
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
    // Never the production Hub: a measurement that forgets its emulator fails to connect instead.
    HF_ENDPOINT: "http://127.0.0.1:1",
    ...extra,
  });
  /** python's environment: Xet on (its default) or off; HF_HOME holds hf_xet's cache, so a fresh one is a first upload. */
  const pythonEnv = (xet: boolean, hfHome = path.join(scratch, "hf-home")): Record<string, string> => ({
    HOME: path.join(scratch, "home"),
    HF_HOME: hfHome,
    HF_HUB_DISABLE_PROGRESS_BARS: "1",
    ...(xet ? {} : { HF_HUB_DISABLE_XET: "1" }),
    ...("env" in python ? python.env : {}),
  });
  // The namespace comes from the config, as in the pipeline's own (default_repo_prefix): python is given
  // "alice/<run>" too. Without one, the token's owner is asked first (one round trip more).
  const config = path.join(scratch, "bench-config.yaml");
  await writeFile(config, "huggingface:\n  repo_prefix: alice\n");
  const ours = (models: string, url: string, cache: string, extra: string[] = []): Promise<Timed> =>
    timed(process.execPath, [BIN, "--only-upload", "--config", config, "--model-dir", models, ...extra], {
      env: env({ HF_ENDPOINT: url, XDG_CACHE_HOME: cache }),
      rss: true,
    });
  /** python's upload_folder: through LFS (HF_HUB_DISABLE_XET=1), or through Xet with hf_xet's cache in `hfHome`. */
  const pythonUpload = (url: string, repo: string, folder: string, xet?: { hfHome: string }): Promise<Timed> =>
    timed(PYTHON, [path.join(ROOT, "bench", "python-upload.py"), url, DEFAULT_TOKEN, repo, folder], {
      env: pythonEnv(xet !== undefined, xet?.hfHome),
      pythonRss: true,
    });

  log("bench: hash floor (openssl dgst -sha256, sha256sum)");
  const openssl: Timed[] = [];
  const sha: Timed[] = [];
  for (let i = 0; i < RUNS; i++) {
    openssl.push(await timed("openssl", ["dgst", "-sha256", ...fusedFiles]));
    sha.push(await timed("sha256sum", fusedFiles));
  }

  log("bench: the hashing pass alone (hashFiles, a worker per core)");
  const hashing: Timed[] = [];
  for (let i = 0; i < RUNS; i++) {
    hashing.push(await timed(process.execPath, [path.join(ROOT, "bench", "time-hashing.mjs"), ...fusedFiles]));
  }

  type Upload = Timed & { traffic: Traffic; rerun: Timed & { traffic: Traffic } };
  const upload = async (
    run: (url: string, cache: string) => Promise<Timed>,
    index: number,
    delayMs = 0,
  ): Promise<Upload> => {
    const emulator = await startEmulator(delayMs);
    const cache = path.join(scratch, `cache-${Math.random().toString(36).slice(2)}-${index}`);
    try {
      const first = await run(emulator.url, cache);
      const firstTraffic = await emulator.traffic();
      const again = await run(emulator.url, cache);
      return { ...first, traffic: firstTraffic, rerun: { ...again, traffic: await emulator.traffic() } };
    } finally {
      await emulator.stop();
    }
  };

  log("bench: uploads of the fused model (fresh emulator each run) and unchanged re-runs");
  const oursFused: Upload[] = [];
  const pythonFused: Upload[] = [];
  const bare: Timed[] = [];
  for (let i = 0; i < RUNS; i++) {
    // The LFS path against python with Xet off: the comparison of the rounds before Xet.
    oursFused.push(await upload((url, cache) => ours(fusedModels, url, cache, ["--no-xet"]), i));
    if ("env" in python) {
      pythonFused.push(await upload((url) => pythonUpload(url, `alice/${runName}`, fusedRun), i));
    }
    const emulator = await startEmulator();
    try {
      bare.push(
        await timed(
          process.execPath,
          [
            path.join(ROOT, "bench", "bare-upload.mjs"),
            emulator.url,
            DEFAULT_TOKEN,
            "alice/bare-upload",
            fusedRun,
            "--no-xet",
          ],
          { rss: true },
        ),
      );
    } finally {
      await emulator.stop();
    }
  }

  log(`bench: small LoRA run with ${LATENCY_MS} ms added to every request`);
  const oursLatency: Upload[] = [];
  const pythonLatency: Upload[] = [];
  for (let i = 0; i < RUNS; i++) {
    oursLatency.push(
      await upload(
        (url, cache) => ours(loraModels, url, cache, ["--base-model", BASE_MODEL, "--no-xet"]),
        i,
        LATENCY_MS,
      ),
    );
    if ("env" in python) {
      pythonLatency.push(
        await upload((url) => pythonUpload(url, `alice/${runName}`, path.join(loraModels, runName)), i, LATENCY_MS),
      );
    }
  }

  log(
    `bench: Xet: a ${(XET_BYTES / MiB).toFixed(0)} MiB fused run, then the next run with a quarter of each shard changed`,
  );
  // BF16 tensors that look like trained weights (nothing repeats); the next run shares three quarters.
  const xetFirst = path.join(scratch, "xet-first");
  const xetNext = path.join(scratch, "xet-next");
  const xetFiles = await makeWeightsRun(path.join(xetFirst, runName), XET_BYTES, { seed: 1 });
  const nextName = "webauthn-security-sequential_20250927_120000";
  await makeWeightsRun(path.join(xetNext, nextName), XET_BYTES, { seed: 1, changed: { seed: 2 } });
  const xetSize = (await Promise.all(xetFiles.map((file) => stat(file)))).reduce((sum, s) => sum + s.size, 0);
  type Scenario = {
    first: Timed & { traffic: Traffic };
    next: Timed & { traffic: Traffic };
    rerun: Timed & { traffic: Traffic };
  };
  /** One repetition: a fresh emulator, the first run's upload, the next run's into the same repo, the next run again. */
  const scenario = async (step: (url: string, run: "first" | "next") => Promise<Timed>): Promise<Scenario> => {
    const emulator = await startEmulator();
    try {
      const first = { ...(await step(emulator.url, "first")), traffic: await emulator.traffic() };
      const next = { ...(await step(emulator.url, "next")), traffic: await emulator.traffic() };
      const rerun = { ...(await step(emulator.url, "next")), traffic: await emulator.traffic() };
      return { first, next, rerun };
    } finally {
      await emulator.stop();
    }
  };
  const oursXet: Scenario[] = [];
  const pythonXet: Scenario[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Each client with its own fresh cache per repetition: ours (the hash cache, with what it sent)
    // and hf_xet's (HF_HOME/xet): the first upload finds nothing, the next one what the first left.
    const cache = path.join(scratch, `xet-cache-${i}`);
    oursXet.push(
      await scenario((url, run) =>
        ours(run === "first" ? xetFirst : xetNext, url, cache, ["--repo", "alice/olmo-security"]),
      ),
    );
    if ("env" in python) {
      const hfHome = path.join(scratch, `xet-hf-home-${i}`);
      pythonXet.push(
        await scenario((url, run) =>
          pythonUpload(
            url,
            "alice/olmo-security",
            path.join(run === "first" ? xetFirst : xetNext, run === "first" ? runName : nextName),
            { hfHome },
          ),
        ),
      );
    }
  }

  log("bench: MLX → PEFT conversion vs cp");
  // Each conversion is paired with a cp taken just before it, to the same folder, and the figure is
  // the median of the pairs' ratios: load from other processes drifts less within a pair.
  const conversion: Array<{ seconds: number; cpu: number; cp: Timed }> = [];
  const dryRun: Timed[] = [];
  const outDir = path.join(scratch, "converted");
  for (let i = 0; i < Math.max(RUNS, 5); i++) {
    await mkdir(outDir, { recursive: true });
    const cp = await timed("cp", [adapterFile, path.join(outDir, "copy.safetensors")]);
    await rm(path.join(outDir, "copy.safetensors"), { force: true });
    const converted = await timed(process.execPath, [
      path.join(ROOT, "bench", "time-conversion.mjs"),
      path.dirname(adapterFile),
      outDir,
    ]);
    conversion.push({ ...(JSON.parse(converted.stdout) as { seconds: number }), cpu: converted.cpu, cp });
    await rm(outDir, { recursive: true, force: true });
  }
  for (let i = 0; i < RUNS; i++) {
    dryRun.push(
      await timed(process.execPath, [BIN, "--dry-run", "--model-dir", adapterModels, "--base-model", BASE_MODEL], {
        env: env(),
        rss: true,
      }),
    );
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
    listRuns.push(
      (await timed(process.execPath, [BIN, "--list-runs", "--offline", "--model-dir", folders], { env: env() }))
        .seconds,
    );
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

  const m = (values: Array<number | undefined>): number => median(values.map((v) => v ?? Number.NaN));
  const side = (uploads: Upload[]) =>
    uploads.length === 0
      ? undefined
      : {
          seconds: m(uploads.map((u) => u.seconds)),
          cpuSeconds: m(uploads.map((u) => u.cpu)),
          cpuSecondsPerGiB: m(uploads.map((u) => u.cpu / (u.traffic.putBytes / GiB || Number.NaN))),
          peakRssMiB: m(uploads.map((u) => (u.rss === undefined ? undefined : u.rss / MiB))),
          requests: m(uploads.map((u) => u.traffic.requests)),
          sequentialRoundTrips: m(uploads.map((u) => u.traffic.sequential)),
          bytesSent: m(uploads.map((u) => u.traffic.putBytes)),
          rerun: {
            seconds: m(uploads.map((u) => u.rerun.seconds)),
            cpuSeconds: m(uploads.map((u) => u.rerun.cpu)),
            requests: m(uploads.map((u) => u.rerun.traffic.requests)),
            sequentialRoundTrips: m(uploads.map((u) => u.rerun.traffic.sequential)),
            puts: Math.max(...uploads.map((u) => u.rerun.traffic.puts)),
            bytesSent: Math.max(...uploads.map((u) => u.rerun.traffic.putBytes)),
            commitsCreated: Math.max(...uploads.map((u) => u.rerun.traffic.commits)),
            peakRssMiB: m(uploads.map((u) => (u.rerun.rss === undefined ? undefined : u.rerun.rss / MiB))),
          },
        };
  const oursSide = side(oursFused);
  const pythonSide = side(pythonFused);
  const step = (runs: Scenario[], pick: (scenario: Scenario) => Timed & { traffic: Traffic }) =>
    runs.length === 0
      ? undefined
      : {
          seconds: m(runs.map((run) => pick(run).seconds)),
          cpuSeconds: m(runs.map((run) => pick(run).cpu)),
          peakRssMiB: m(runs.map((run) => (pick(run).rss ?? Number.NaN) / MiB)),
          storageBytes: m(runs.map((run) => pick(run).traffic.storageBytes)),
          requests: m(runs.map((run) => pick(run).traffic.requests)),
          commitsCreated: Math.max(...runs.map((run) => pick(run).traffic.commits)),
        };
  const xetSide = (runs: Scenario[]) =>
    runs.length === 0
      ? undefined
      : {
          first: step(runs, (run) => run.first),
          next: step(runs, (run) => run.next),
          unchangedRerun: step(runs, (run) => run.rerun),
          /** What the next run sent, as a share of what the first sent (median of the repetitions' ratios). */
          nextBytesVsFirst: m(runs.map((run) => run.next.traffic.storageBytes / run.first.traffic.storageBytes)),
        };
  const oursXetSide = xetSide(oursXet);
  const pythonXetSide = xetSide(pythonXet);
  const opensslCpu = m(openssl.map((t) => t.cpu));
  const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined || b === undefined || !(b > 0) ? undefined : a / b;
  const results = {
    date: new Date().toISOString(),
    machine: { ...machine(), loadAverage1m: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 } },
    runs: RUNS,
    python: "skipped" in python ? { skipped: python.skipped } : { python: PYTHON, versions: pythonVersions() },
    data: {
      fusedModelBytes: fusedSize,
      fusedFiles: fusedFiles.length,
      adapterBytes: ADAPTER_BYTES,
      latencyRunBytes: 8 * MiB,
      xetRunBytes: xetSize,
      candidateFolders: FOLDERS,
    },
    hashFloor: {
      opensslSeconds: m(openssl.map((t) => t.seconds)),
      opensslCpuSeconds: opensslCpu,
      opensslCpuSecondsPerGiB: opensslCpu / (fusedSize / GiB),
      sha256sumSeconds: m(sha.map((t) => t.seconds)),
    },
    hashing: {
      seconds: m(hashing.map((t) => t.seconds)),
      cpuSeconds: m(hashing.map((t) => t.cpu)),
      cpuSecondsPerGiB: m(hashing.map((t) => t.cpu)) / (fusedSize / GiB),
      wallVsOpenssl: ratio(m(hashing.map((t) => t.seconds)), m(openssl.map((t) => t.seconds))),
      cpuVsOpenssl: ratio(m(hashing.map((t) => t.cpu)), opensslCpu),
    },
    upload: {
      ours: oursSide,
      python: pythonSide,
      bareUploadFiles: {
        seconds: m(bare.map((t) => t.seconds)),
        cpuSeconds: m(bare.map((t) => t.cpu)),
        peakRssMiB: m(bare.map((t) => (t.rss ?? 0) / MiB)),
      },
      wallVsPython: ratio(oursSide?.seconds, pythonSide?.seconds),
      cpuVsPython: ratio(oursSide?.cpuSeconds, pythonSide?.cpuSeconds),
      cpuVsOpenssl: ratio(oursSide?.cpuSeconds, opensslCpu),
      wallVsSha256sum: ratio(oursSide?.seconds, m(sha.map((t) => t.seconds))),
      wallVsBareUploadFiles: ratio(oursSide?.seconds, m(bare.map((t) => t.seconds))),
    },
    xet: {
      ours: oursXetSide,
      python: pythonXetSide,
      firstWallVsPython: ratio(oursXetSide?.first?.seconds, pythonXetSide?.first?.seconds),
      firstCpuVsPython: ratio(oursXetSide?.first?.cpuSeconds, pythonXetSide?.first?.cpuSeconds),
      nextWallVsPython: ratio(oursXetSide?.next?.seconds, pythonXetSide?.next?.seconds),
      nextCpuVsPython: ratio(oursXetSide?.next?.cpuSeconds, pythonXetSide?.next?.cpuSeconds),
      firstBytesVsPython: ratio(oursXetSide?.first?.storageBytes, pythonXetSide?.first?.storageBytes),
    },
    latency: {
      delayMsPerRequest: LATENCY_MS,
      ours: side(oursLatency),
      python: side(pythonLatency),
      wallVsPython: ratio(side(oursLatency)?.seconds, side(pythonLatency)?.seconds),
    },
    conversion: {
      convertSeconds: m(conversion.map((c) => c.seconds)),
      cpSeconds: m(conversion.map((c) => c.cp.seconds)),
      ratioVsCp: m(conversion.map((c) => c.seconds / c.cp.seconds)),
      pairs: conversion.map((c) => ({ convertSeconds: c.seconds, cpSeconds: c.cp.seconds })),
      /** The conversion process's CPU (start-up included) and cp's: less sensitive to other load than wall time. */
      convertProcessCpuSeconds: m(conversion.map((c) => c.cpu)),
      cpCpuSeconds: m(conversion.map((c) => c.cp.cpu)),
      dryRunSeconds: m(dryRun.map((t) => t.seconds)),
      dryRunRatioVsCp: m(dryRun.map((t) => t.seconds)) / m(conversion.map((c) => c.cp.seconds)),
      dryRunPeakRssMiB: m(dryRun.map((t) => (t.rss ?? 0) / MiB)),
    },
    startup: {
      nodeE0Ms: median(nodeStart) * 1000,
      helpMs: median(help) * 1000,
      helpRatioVsNode: median(help) / median(nodeStart),
      listRuns10kMs: median(listRuns) * 1000,
      listRunsRatioVsNode: median(listRuns) / median(nodeStart),
      discovery10kMs: median(discovery) * 1000,
    },
    benchSeconds: 0,
  };

  const fixed = (value: number | undefined, digits = 2): string =>
    value === undefined || Number.isNaN(value) ? "n/a" : value.toFixed(digits);
  const target = (name: string, value: number | undefined, met: (v: number) => boolean, digits = 2) => ({
    name,
    value: fixed(value, digits),
    met: value === undefined || Number.isNaN(value) ? null : met(value),
  });
  const up = results.upload;
  const lat = results.latency;
  const xet = results.xet;
  const targets = [
    target("Xet: first upload wall ≤ python + hf_xet", xet.firstWallVsPython, (v) => v <= 1),
    target("Xet: next run (25% changed) wall ≤ python + hf_xet", xet.nextWallVsPython, (v) => v <= 1),
    target("Xet: next run sends ≤ 35% of the first upload's bytes", oursXetSide?.nextBytesVsFirst, (v) => v <= 0.35),
    target("Xet: unchanged re-run sends nothing", oursXetSide?.unchangedRerun?.storageBytes, (v) => v === 0, 0),
    target("Xet: unchanged re-run makes no commit", oursXetSide?.unchangedRerun?.commitsCreated, (v) => v === 0, 0),
    target(
      "peak RSS ≤ 200 MiB (Xet upload)",
      Math.max(oursXetSide?.first?.peakRssMiB ?? Number.NaN, oursXetSide?.next?.peakRssMiB ?? Number.NaN),
      (v) => v <= 200,
      0,
    ),
    target("LFS: fused upload wall ≤ 0.95 × python (Xet off)", up.wallVsPython, (v) => v <= 0.95),
    target("LFS: fused upload client CPU ≤ python (Xet off)", up.cpuVsPython, (v) => v <= 1),
    target("peak RSS ≤ 200 MiB (LFS upload)", oursSide?.peakRssMiB, (v) => v <= 200, 0),
    target("peak RSS ≤ 200 MiB (conversion)", results.conversion.dryRunPeakRssMiB, (v) => v <= 200, 0),
    // Counted where a round trip costs 100 ms: on loopback, requests sent together often do not overlap.
    target(
      "sequential round trips ≤ python (upload)",
      ratio(lat.ours?.sequentialRoundTrips, lat.python?.sequentialRoundTrips),
      (v) => v <= 1,
    ),
    target(
      "sequential round trips ≤ python (unchanged re-run)",
      ratio(lat.ours?.rerun.sequentialRoundTrips, lat.python?.rerun.sequentialRoundTrips),
      (v) => v <= 1,
    ),
    target(`small LoRA at ${LATENCY_MS} ms/request: wall ≤ python`, lat.wallVsPython, (v) => v <= 1),
    target("unchanged re-run: 0 PUTs", oursSide?.rerun.puts, (v) => v === 0, 0),
    target("unchanged re-run: no commit", oursSide?.rerun.commitsCreated, (v) => v === 0, 0),
    target("unchanged re-run ≤ 1 s", oursSide?.rerun.seconds, (v) => v <= 1),
    target("conversion (transpose + hash) ≤ 3 × cp", results.conversion.ratioVsCp, (v) => v <= 3),
    target("upload faster than bare uploadFiles", up.wallVsBareUploadFiles, (v) => v < 1),
    target("discovery of 10,000 folders ≤ 100 ms", results.startup.discovery10kMs, (v) => v <= 100, 1),
    target("--help ≤ 2 × node -e 0", results.startup.helpRatioVsNode, (v) => v <= 2),
  ];
  results.benchSeconds = (performance.now() - benchStarted) / 1000;

  await writeFile(path.join(ROOT, "bench", "results.json"), `${JSON.stringify({ ...results, targets }, null, 2)}\n`);

  const py = (value: string): string => ("skipped" in python ? "python skipped" : value);
  const size = `${(fusedSize / MiB).toFixed(0)} MiB`;
  const xetMiB = `${(xetSize / MiB).toFixed(0)} MiB`;
  const xetStep = (
    name: string,
    ours: ReturnType<typeof step>,
    theirs: ReturnType<typeof step>,
    wall: number | undefined,
    cpu: number | undefined,
  ): Array<[string, string]> => [
    [name, `${fixed(ours?.seconds)} s  ${py(`= ${fixed(wall)} × python + hf_xet (${fixed(theirs?.seconds)} s)`)}`],
    [
      "  client CPU user+sys (s)",
      `${fixed(ours?.cpuSeconds)}  ${py(`= ${fixed(cpu)} × python (${fixed(theirs?.cpuSeconds)})`)}`,
    ],
    [
      "  bytes to storage (MiB), peak RSS (MiB)",
      `${fixed((ours?.storageBytes ?? Number.NaN) / MiB, 1)}, ${fixed(ours?.peakRssMiB, 0)}  ${py(`(python: ${fixed((theirs?.storageBytes ?? Number.NaN) / MiB, 1)}, ${fixed(theirs?.peakRssMiB, 0)})`)}`,
    ],
  ];
  const rows: Array<[string, string]> = [
    ...xetStep(
      `Xet: first upload of a ${xetMiB} fused run`,
      oursXetSide?.first,
      pythonXetSide?.first,
      xet.firstWallVsPython,
      xet.firstCpuVsPython,
    ),
    ...xetStep(
      "Xet: the next run, a quarter of each shard changed",
      oursXetSide?.next,
      pythonXetSide?.next,
      xet.nextWallVsPython,
      xet.nextCpuVsPython,
    ),
    [
      "  sent, as a share of the first upload",
      `${fixed((oursXetSide?.nextBytesVsFirst ?? Number.NaN) * 100, 1)} %  ${py(`(python: ${fixed((pythonXetSide?.nextBytesVsFirst ?? Number.NaN) * 100, 1)} %)`)}`,
    ],
    [
      "Xet: that run again, unchanged",
      `${fixed(oursXetSide?.unchangedRerun?.seconds)} s, ${fixed(oursXetSide?.unchangedRerun?.storageBytes, 0)} bytes to storage, ${fixed(oursXetSide?.unchangedRerun?.commitsCreated, 0)} commits  ${py(`(python: ${fixed(pythonXetSide?.unchangedRerun?.seconds)} s, ${fixed(pythonXetSide?.unchangedRerun?.storageBytes, 0)} bytes, ${fixed(pythonXetSide?.unchangedRerun?.commitsCreated, 0)} commits)`)}`,
    ],
    [
      `LFS (--no-xet): upload ${size} fused model: wall (s)`,
      `${fixed(oursSide?.seconds)}  ${py(`= ${fixed(up.wallVsPython)} × python (${fixed(pythonSide?.seconds)} s)`)}; ${fixed(up.wallVsBareUploadFiles)} × bare uploadFiles; ${fixed(up.wallVsSha256sum)} × sha256sum`,
    ],
    [
      "  client CPU user+sys (s per GiB), vs python with Xet off",
      `${fixed(oursSide?.cpuSecondsPerGiB)}  = ${fixed(up.cpuVsOpenssl)} × openssl dgst (${fixed(results.hashFloor.opensslCpuSecondsPerGiB)})  ${py(`${fixed(up.cpuVsPython)} × python (${fixed(pythonSide?.cpuSecondsPerGiB)})`)}`,
    ],
    [
      "  hashing pass alone (hashFiles)",
      `${fixed(results.hashing.seconds)} s wall = ${fixed(results.hashing.wallVsOpenssl)} × openssl; CPU ${fixed(results.hashing.cpuSecondsPerGiB)} s/GiB = ${fixed(results.hashing.cpuVsOpenssl)} × openssl`,
    ],
    ["  requests", `${fixed(oursSide?.requests, 0)}  ${py(`(python: ${fixed(pythonSide?.requests, 0)})`)}`],
    [
      "  peak RSS (MiB)",
      `${fixed(oursSide?.peakRssMiB, 0)}  (bare uploadFiles: ${fixed(up.bareUploadFiles.peakRssMiB, 0)})`,
    ],
    [
      "unchanged re-run",
      `${fixed(oursSide?.rerun.seconds)} s (client CPU ${fixed(oursSide?.rerun.cpuSeconds)} s: start-up and requests, no bytes), ${fixed(oursSide?.rerun.puts, 0)} PUTs, ${fixed(oursSide?.rerun.commitsCreated, 0)} commits, ${fixed(oursSide?.rerun.sequentialRoundTrips, 0)} sequential round trips / ${fixed(oursSide?.rerun.requests, 0)} requests  ${py(`(python: ${fixed(pythonSide?.rerun.seconds)} s, CPU ${fixed(pythonSide?.rerun.cpuSeconds)} s, ${fixed(pythonSide?.rerun.sequentialRoundTrips, 0)} / ${fixed(pythonSide?.rerun.requests, 0)}, ${fixed(pythonSide?.rerun.commitsCreated, 0)} commits)`)}`,
    ],
    [
      `small LoRA run, +${LATENCY_MS} ms per request (s)`,
      `${fixed(lat.ours?.seconds)}  ${py(`= ${fixed(lat.wallVsPython)} × python (${fixed(lat.python?.seconds)} s); round trips ${fixed(lat.ours?.sequentialRoundTrips, 0)} vs ${fixed(lat.python?.sequentialRoundTrips, 0)}`)}`,
    ],
    [
      "  its unchanged re-run (s)",
      `${fixed(lat.ours?.rerun.seconds)}  ${py(`= ${fixed(ratio(lat.ours?.rerun.seconds, lat.python?.rerun.seconds))} × python (${fixed(lat.python?.rerun.seconds)} s); round trips ${fixed(lat.ours?.rerun.sequentialRoundTrips, 0)} vs ${fixed(lat.python?.rerun.sequentialRoundTrips, 0)}`)}`,
    ],
    [
      `MLX→PEFT ${(ADAPTER_BYTES / MiB).toFixed(0)} MiB conversion (s)`,
      `${fixed(results.conversion.convertSeconds)}  = ${fixed(results.conversion.ratioVsCp)} × cp (${fixed(results.conversion.cpSeconds)} s; median of ${conversion.length} pairs); CPU ${fixed(results.conversion.convertProcessCpuSeconds)} s vs ${fixed(results.conversion.cpCpuSeconds)} s; whole --dry-run ${fixed(results.conversion.dryRunSeconds)} s, ${fixed(results.conversion.dryRunPeakRssMiB, 0)} MiB peak`,
    ],
    [
      "--help (ms)",
      `${fixed(results.startup.helpMs, 0)}  = ${fixed(results.startup.helpRatioVsNode)} × node -e 0 (${fixed(results.startup.nodeE0Ms, 0)} ms)`,
    ],
    [
      "--list-runs, 10,000 folders (ms)",
      `${fixed(results.startup.listRuns10kMs, 0)}  = ${fixed(results.startup.listRunsRatioVsNode, 1)} × node -e 0`,
    ],
    ["run discovery, 10,000 folders (ms)", fixed(results.startup.discovery10kMs, 1)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(
    `\nprocess-artifacts benchmark — ${String(results.machine.cpu)}, ${String(results.machine.cpus)} cores, Node ${process.version}, median of ${RUNS}; load average ${loadAtStart.toFixed(1)} at the start, ${results.machine.loadAverage1m.atEnd.toFixed(1)} at the end\n`,
  );
  if ("skipped" in python) {
    process.stdout.write(`python huggingface_hub: skipped: ${python.skipped}\n`);
  }
  process.stdout.write("\n");
  for (const [name, value] of rows) {
    process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);
  }
  process.stdout.write("\nTargets:\n");
  for (const { name, value, met } of targets) {
    process.stdout.write(`  ${met === null ? "-" : met ? "✓" : "✗"} ${name}: ${met === null ? "skipped" : value}\n`);
  }
  process.stdout.write(`\nWrote bench/results.json (${results.benchSeconds.toFixed(0)} s)\n`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
