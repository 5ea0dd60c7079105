/**
 * Testing a pipeline step that calls process-artifacts, with vitest.
 *
 * Under a test runner process-artifacts refuses to upload to the real Hub, so each test starts its own
 * local Hub (`process-artifacts-hub`, installed with process-artifacts), points HF_ENDPOINT and HF_TOKEN
 * at it, and reads back what was published. Nothing leaves the machine.
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterEach, beforeEach, expect, it } from "vitest";

const RUN = "webauthn-security-sequential_20250926_120000";

/** The JSON line process-artifacts-hub prints once it listens. */
interface Hub {
  url: string;
  token: string;
  user: string;
  data: string;
}

/** What GET /__emulator/state answers (the parts this test reads). */
interface HubState {
  repos: Array<{
    id: string;
    commits: Array<{ title: string }>;
    files: Array<{ path: string; size: number; sha256: string | null }>;
  }>;
}

let hub: Hub;
let stopHub: () => Promise<void>;
let tmp: string;

// A fresh local Hub for each test, stopped (and its data removed) after it.
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "pipeline-test-"));
  const child = spawn("process-artifacts-hub", ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  hub = JSON.parse(line) as Hub;
  stopHub = async () => {
    child.kill("SIGTERM");
    await exited;
  };
});

afterEach(async () => {
  await stopHub();
  await rm(tmp, { recursive: true, force: true });
});

/** A tiny but real MLX LoRA run, as mlx-lm and the training step write it. */
async function writeMlxRun(models: string): Promise<string> {
  const adapters = path.join(models, RUN, "adapters");
  await mkdir(adapters, { recursive: true });
  const [rank, hidden] = [4, 8];
  const tensors: Array<{ name: string; shape: number[]; values: Float32Array }> = [];
  for (const module of ["q_proj", "v_proj"]) {
    const prefix = `model.layers.0.self_attn.${module}`;
    const a = Float32Array.from({ length: hidden * rank }, (_, i) => 0.01 * ((i % 7) - 3));
    const b = Float32Array.from({ length: rank * hidden }, (_, i) => 0.02 * ((i % 5) - 2));
    tensors.push({ name: `${prefix}.lora_a`, shape: [hidden, rank], values: a });
    tensors.push({ name: `${prefix}.lora_b`, shape: [rank, hidden], values: b });
  }
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const { name, shape, values } of tensors) {
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + values.byteLength] };
    offset += values.byteLength;
  }
  const headerBytes = Buffer.from(JSON.stringify(header));
  const headerLength = Buffer.alloc(8);
  headerLength.writeBigUInt64LE(BigInt(headerBytes.byteLength));
  const data = tensors.map(({ values }) => Buffer.from(values.buffer));
  await writeFile(path.join(adapters, "adapters.safetensors"), Buffer.concat([headerLength, headerBytes, ...data]));
  const config = { fine_tune_type: "lora", num_layers: 1, lora_parameters: { rank, dropout: 0, scale: 20 } };
  await writeFile(path.join(adapters, "adapter_config.json"), JSON.stringify(config));
  return path.join(models, RUN);
}

it("publishes the newest run to the Hub", async () => {
  const models = path.join(tmp, "models");
  const run = await writeMlxRun(models);

  await promisify(execFile)(
    "process-artifacts",
    ["--only-upload", "--model-dir", models, "--base-model", "allenai/OLMo-2-0425-1B-Instruct"],
    { cwd: tmp, env: { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: hub.token, HOME: tmp } },
  );

  const repoId = `${hub.user}/${RUN}`;
  const state = (await (await fetch(`${hub.url}/__emulator/state`)).json()) as HubState;
  const repo = state.repos.find((r) => r.id === repoId);
  // The Hub's "initial commit" (it holds .gitattributes), then the upload: one commit.
  expect(repo?.commits.map((c) => c.title)).toEqual(["initial commit", expect.stringContaining(RUN)]);
  const paths = repo?.files.map((f) => f.path);
  expect(paths).toEqual(expect.arrayContaining(["README.md", "adapter_config.json", "adapter_model.safetensors"]));
  // The run's own adapter is published as is, next to the PEFT conversion.
  const adapter = await readFile(path.join(run, "adapters", "adapters.safetensors"));
  expect(repo?.files.map((f) => f.sha256)).toContain(createHash("sha256").update(adapter).digest("hex"));
  // Read back through the ordinary Hub endpoints, as any client would.
  const response = await fetch(`${hub.url}/${repoId}/resolve/main/adapter_config.json`);
  const peftConfig = (await response.json()) as { peft_type: string; base_model_name_or_path: string };
  expect(peftConfig.peft_type).toBe("LORA");
  expect(peftConfig.base_model_name_or_path).toBe("allenai/OLMo-2-0425-1B-Instruct");
});
