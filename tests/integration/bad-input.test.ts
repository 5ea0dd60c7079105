import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FakeHubOptions } from "../../emulator/fake-hub.js";
import { hashTree } from "../helpers/hash-tree.js";
import { writeFusedRun, writeMlxRun } from "../helpers/make-run.js";
import { runCli } from "../helpers/run-cli.js";
import { buildSafetensors } from "../helpers/safetensors-builder.js";
import { testdir } from "../helpers/testdir.js";
import { recordAllRequests, useFakeHub } from "../helpers/use-fake-hub.js";
import { CLI_BIN, RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";

interface Case {
  name: string;
  exit: number;
  message: RegExp;
  /** Builds the situation in `models` (a temp folder); returns the CLI arguments and environment. */
  setup: (
    models: string,
    scratch: string,
  ) => Promise<{ argv?: string[]; env?: Record<string, string | undefined>; cwd?: string }>;
  hub?: FakeHubOptions;
}

const validRun = async (models: string): Promise<string> => writeMlxRun(models, RUN);
const config = async (scratch: string, text: string): Promise<string[]> => {
  await writeFile(path.join(scratch, "config.yaml"), text);
  return ["--config", path.join(scratch, "config.yaml")];
};
const weights = (models: string): string => path.join(models, RUN, "adapters", "adapters.safetensors");

const CASES: Case[] = [
  // configuration and environment
  {
    name: "bad YAML",
    exit: 2,
    message: /is not valid YAML/,
    setup: async (m, s) => (await validRun(m), { argv: await config(s, "huggingface: [oops\n") }),
  },
  {
    name: "a wrong type",
    exit: 2,
    message: /huggingface\.private_repos: expected boolean, got "yes"/,
    setup: async (m, s) => (await validRun(m), { argv: await config(s, 'huggingface:\n  private_repos: "yes"\n') }),
  },
  {
    name: "a missing config file",
    exit: 2,
    message: /Config file not found/,
    setup: async (m, s) => (await validRun(m), { argv: ["--config", path.join(s, "nope.yaml")] }),
  },
  {
    name: "a config path that is a directory",
    exit: 2,
    message: /is a directory/,
    setup: async (m, s) => (await validRun(m), { argv: ["--config", s] }),
  },
  {
    name: "an empty config",
    exit: 2,
    message: /is empty/,
    setup: async (m, s) => (await validRun(m), { argv: await config(s, "\n# nothing\n") }),
  },
  {
    name: "a config that is a list",
    exit: 2,
    message: /must be a YAML mapping/,
    setup: async (m, s) => (await validRun(m), { argv: await config(s, "- a\n") }),
  },
  {
    name: "a local path as base model id",
    exit: 2,
    message: /base_model_hf_id: must be a Hub model id/,
    setup: async (m, s) => (
      await validRun(m),
      { argv: await config(s, "huggingface:\n  base_model_hf_id: /Users/me/OLMo\n") }
    ),
  },
  {
    name: "an invalid HF_ENDPOINT",
    exit: 2,
    message: /HF_ENDPOINT is not a valid URL/,
    setup: async (m) => (await validRun(m), { env: { HF_ENDPOINT: "::nope::" } }),
  },
  {
    name: "a non-http HF_ENDPOINT",
    exit: 2,
    message: /HF_ENDPOINT must be an http\(s\) URL/,
    setup: async (m) => (await validRun(m), { env: { HF_ENDPOINT: "ftp://hub.test" } }),
  },
  {
    name: "a non-numeric retry setting",
    exit: 2,
    message: /PROCESS_ARTIFACTS_MAX_RETRIES must be a whole number/,
    setup: async (m) => (await validRun(m), { env: { PROCESS_ARTIFACTS_MAX_RETRIES: "lots" } }),
  },
  // command line
  {
    name: "an unknown flag",
    exit: 2,
    message: /Unknown argument: frobnicate/,
    setup: async (m) => (await validRun(m), { argv: ["--frobnicate"] }),
  },
  {
    name: "two --only-* flags",
    exit: 2,
    message: /Cannot combine several --only-\* flags/,
    setup: async (m) => (await validRun(m), { argv: ["--only-upload", "--only-training"] }),
  },
  {
    name: "a path given to --run",
    exit: 2,
    message: /--run takes a folder name/,
    setup: async (m) => (await validRun(m), { argv: ["--run", `../${RUN}`] }),
  },
  {
    name: "an unknown --mlx-lora-scaling",
    exit: 2,
    message: /^Error: --mlx-lora-scaling takes modern or legacy, got "sideways" — e\.g\. --mlx-lora-scaling modern$/m,
    setup: async (m) => (await validRun(m), { argv: ["--mlx-lora-scaling", "sideways"] }),
  },
  {
    name: "an unknown --gated",
    exit: 2,
    message: /^Error: --gated takes auto or manual, got "foo" — e\.g\. --gated auto$/m,
    setup: async (m) => (await validRun(m), { argv: ["--gated", "foo"] }),
  },
  // finding the run
  {
    name: "a models dir that does not exist",
    exit: 4,
    message: /Models directory does not exist/,
    setup: (m) => Promise.resolve({ argv: ["--model-dir", path.join(m, "missing")] }),
  },
  {
    name: "a models dir that is a loop of symbolic links",
    exit: 2,
    message:
      /^Error: Models directory is a loop of symbolic links: .*loop .*— A link on that path leads back to itself/m,
    setup: async (m) => (
      await symlink(path.join(m, "loop"), path.join(m, "loop")),
      { argv: ["--model-dir", path.join(m, "loop")] }
    ),
  },
  {
    name: "a file where the models dir is expected",
    exit: 2,
    message: /Models directory is a file/,
    setup: async (m) => (await writeFile(path.join(m, "file"), "x"), { argv: ["--model-dir", path.join(m, "file")] }),
  },
  {
    name: "an empty models dir",
    exit: 4,
    message: /No runs found .*the directory is empty/,
    setup: () => Promise.resolve({}),
  },
  {
    name: "only impossible timestamps",
    exit: 4,
    message: /No runs found .*1 entry was ignored/,
    setup: async (m) => (await writeMlxRun(m, "webauthn-security-sequential_20251301_120000"), {}),
  },
  {
    name: "run names with spaces or unicode",
    exit: 4,
    message: /No runs found .*2 entries were ignored/,
    setup: async (m) => (
      await writeMlxRun(m, "webauthn security sequential_20250926_120000"),
      await writeMlxRun(m, "webauthn-security-séquential_20250926_120000"),
      {}
    ),
  },
  // the run itself
  {
    name: "an empty run folder (the newest, picked as a whole: no complete run)",
    exit: 4,
    message:
      /No complete run in .*: 1 incomplete run seen[\s\S]*\n {2}- webauthn-security-sequential_20250926_120000: the run folder holds no model/,
    setup: async (m) => (await mkdir(path.join(m, RUN)), {}),
  },
  {
    name: "a run with only unrelated files",
    exit: 4,
    message: /No complete run in .*\n {2}- webauthn-security-sequential_20250926_120000: the run folder holds no model/,
    setup: async (m) => (
      await mkdir(path.join(m, RUN)),
      await writeFile(path.join(m, RUN, "random_file.txt"), "junk"),
      {}
    ),
  },
  {
    name: "truncated safetensors (still being written: the run is incomplete)",
    exit: 4,
    message: /adapters\/adapters\.safetensors is shorter than its header says \(still being written\?\)/,
    setup: async (m) => {
      await validRun(m);
      const bytes = await readFile(weights(m));
      await writeFile(weights(m), bytes.subarray(0, bytes.length - 100));
      return {};
    },
  },
  {
    name: "a corrupt safetensors header",
    exit: 3,
    message: /adapters\.safetensors: header is not valid JSON/,
    setup: async (m) => {
      await validRun(m);
      const bytes = await readFile(weights(m));
      bytes.write("!!", 8);
      await writeFile(weights(m), bytes);
      return {};
    },
  },
  {
    name: "an LFS pointer instead of weights",
    exit: 3,
    message: /git-LFS pointer file/,
    setup: async (m) => (
      await validRun(m),
      await writeFile(weights(m), "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 9\n"),
      {}
    ),
  },
  {
    name: "an empty safetensors file",
    exit: 3,
    message: /0 bytes, too small to be safetensors/,
    setup: async (m) => (await validRun(m), await writeFile(weights(m), ""), {}),
  },
  {
    name: "an invalid adapter_config.json",
    exit: 3,
    message: /adapters\/adapter_config\.json: invalid JSON/,
    setup: async (m) => (
      await validRun(m),
      await writeFile(path.join(m, RUN, "adapters", "adapter_config.json"), "{rank: 8"),
      {}
    ),
  },
  {
    name: "fine_tune_type full",
    exit: 3,
    message: /fine_tune_type is full/,
    setup: async (m) => (
      await validRun(m),
      await writeFile(
        path.join(m, RUN, "adapters", "adapter_config.json"),
        JSON.stringify({ fine_tune_type: "full", lora_parameters: null }),
      ),
      {}
    ),
  },
  {
    name: "NaN weights",
    exit: 3,
    message: /NaN\/Inf values; training diverged/,
    setup: async (m) => {
      await validRun(m);
      const nan = new Uint8Array(new Float32Array(32 * 8).fill(Number.NaN).buffer);
      const good = new Uint8Array(new Float32Array(8 * 32).fill(0.5).buffer);
      await writeFile(
        weights(m),
        buildSafetensors([
          { name: "model.layers.0.self_attn.q_proj.lora_a", dtype: "F32", shape: [32, 8], data: nan },
          { name: "model.layers.0.self_attn.q_proj.lora_b", dtype: "F32", shape: [8, 32], data: good },
        ]),
      );
      return {};
    },
  },
  {
    name: "an empty weights file",
    exit: 3,
    message: /fused\/model\.bin: is empty/,
    setup: async (m) => (await writeMlxRun(m, RUN, { extra: { "fused/model.bin": "" } }), {}),
  },
  {
    name: "an .env file in the run",
    exit: 3,
    message: /\.env: is an environment file/,
    setup: async (m) => (await validRun(m), await writeFile(path.join(m, RUN, ".env"), "TOKEN=x\n"), {}),
  },
  {
    name: "a file where the adapters folder is expected",
    exit: 4,
    message: /the run folder holds no model/,
    setup: async (m) => (
      await mkdir(path.join(m, RUN)),
      await writeFile(path.join(m, RUN, "adapters"), "not a folder"),
      {}
    ),
  },
  {
    name: "fused weights without config.json",
    exit: 4,
    message: /config\.json is missing: a fused model needs config\.json/,
    setup: async (m) => (await writeFusedRun(path.join(m, RUN)), await rm(path.join(m, RUN, "config.json")), {}),
  },
  {
    name: "an incomplete run named with --run",
    exit: 3,
    message:
      /Run webauthn-security-sequential_20250926_120000 is incomplete[\s\S]*\n {2}- \(run folder\): config\.json is missing/,
    setup: async (m) => (
      await writeFusedRun(path.join(m, RUN)),
      await rm(path.join(m, RUN, "config.json")),
      { argv: ["--run", RUN] }
    ),
  },
  // token and Hub
  {
    name: "no token",
    exit: 5,
    message: /No Hugging Face token found/,
    setup: async (m) => (await validRun(m), { env: { HF_TOKEN: undefined } }),
  },
  {
    name: "a token that is not a Hugging Face token",
    exit: 5,
    message: /does not look like a Hugging Face token/,
    setup: async (m) => (await validRun(m), { env: { HF_TOKEN: "ghp_notit" } }),
  },
  {
    name: "a revoked token (401)",
    exit: 5,
    message: /rejected the token \(401\)/,
    setup: async (m) => (await validRun(m), { env: { HF_TOKEN: "hf_fake_revoked_token" } }),
  },
  {
    name: "no permission on the namespace (403)",
    exit: 5,
    message: /not allowed to do this \(403\) while creating the repo olmo-org\//,
    setup: async (m, s) => (
      await validRun(m),
      {
        argv: await config(
          s,
          "huggingface:\n  repo_prefix: olmo-org\n  base_model_hf_id: allenai/OLMo-2-0425-1B-Instruct\n",
        ),
      }
    ),
    hub: { users: { hf_emulatorTokenForTestsOnly0000: { name: "alice" } } },
  },
  {
    name: "a repo name the Hub rejects",
    exit: 2,
    message: /The Hub refused the repo name alice\/.*reserved/,
    setup: async (m) => (await validRun(m), {}),
    hub: {
      intercept: (request) =>
        new URL(request.url).pathname === "/api/repos/create"
          ? new Response(JSON.stringify({ error: "This name is reserved" }), {
              status: 400,
              headers: { "content-type": "application/json" },
            })
          : undefined,
    },
  },
  // local resources
  {
    name: "a temp dir that cannot be written",
    exit: 1,
    message: /Cannot create a staging folder in \/proc/,
    setup: async (m) => (await validRun(m), { env: { TMPDIR: "/proc" } }),
  },
  {
    name: "a temp dir that is a file",
    exit: 1,
    message: /Cannot create a staging folder .*ENOTDIR/,
    setup: async (m, s) => (
      await validRun(m),
      await writeFile(path.join(s, "tmpfile"), ""),
      { env: { TMPDIR: path.join(s, "tmpfile") } }
    ),
  },
];

describe("bad input: one clear line, the documented exit code, nothing uploaded, the run untouched", () => {
  it("covers at least 30 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    const hub = useFakeHub(testCase.hub ?? {});
    const seen = recordAllRequests();
    const models = await testdir();
    const scratch = await testdir();
    const { argv = [], env = {}, cwd } = await testCase.setup(models, scratch);
    const before = await hashTree(models);

    const dirArgs = argv.includes("--model-dir") ? [] : ["--model-dir", models];
    const result = await runCli(["--only-upload", ...dirArgs, ...argv], { env, ...(cwd ? { cwd } : {}) });

    expect(result.exitCode, result.stderr).toBe(testCase.exit);
    const lines = result.stderr.trimEnd().split("\n");
    const errorLine = lines.find((line) => line.startsWith("Error: "));
    expect(errorLine, result.stderr).toBeDefined();
    expect(result.stderr).toMatch(testCase.message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // Only the problem list of a validation error may follow the error line.
    expect(lines.slice(lines.indexOf(errorLine ?? "") + 1).every((line) => line.startsWith("  - "))).toBe(true);
    expect(hub.count("PUT", /./)).toBe(0);
    expect([...hub.repos.values()].flatMap((repo) => commitsAfterInitial(repo))).toEqual([]);
    if (testCase.exit !== 5 && testCase.hub === undefined) {
      expect(seen).toEqual([]);
    }
    expect(await hashTree(models)).toEqual(before);
    expect(await readdir(result.tmpdir)).toEqual([]);
  });

  it("a disk that fills up while staging: one clear line, exit 1, no half-written files left", async () => {
    const models = await testdir();
    await writeMlxRun(models, RUN, { hidden: 512, rank: 16 });
    const before = await hashTree(models);
    const tmp = await testdir();
    const home = await testdir();
    // A per-process file size limit makes the converter's write fail exactly as a full disk would.
    const script = `ulimit -f 64; trap '' XFSZ; exec "${process.execPath}" "${CLI_BIN}" --dry-run --model-dir "${models}"`;
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn("bash", ["-c", script], {
        env: { PATH: process.env.PATH ?? "", HOME: home, TMPDIR: tmp },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error: Staging failed in .*: EFBIG — Free disk space or set TMPDIR to a folder with more room\n$/,
    );
    expect(await readdir(tmp)).toEqual([]);
    expect(await hashTree(models)).toEqual(before);
  });
});
