// What this tool uploads through Xet, against the reference clients on the same emulator: hf_xet
// (through huggingface_hub, as a default pip install uploads) computes the same Xet hashes for the
// same bytes, and hf_xet and @huggingface/hub download what we sent byte for byte. The python half is
// skipped without a python that has huggingface_hub and hf_xet (.venv: scripts/setup-python.sh).
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { downloadFile, listFiles } from "@huggingface/hub";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN, FakeHub } from "../../emulator/fake-hub.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { CLI_BIN, RUN } from "../helpers/fixtures.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli, TEST_HUB } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { runPython, xetPython } from "../helpers/xet-python.js";
import { seededPieces, XET_LARGE_INPUTS } from "../helpers/xet-inputs.js";

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const PYTHON = xetPython();
const NO_PYTHON = " (skipped: no python with huggingface_hub and hf_xet; set HF_HUB_PYTHON)";
const REPO = `alice/${RUN}`;

/** Files of every size that matters to chunking: under the 8 KiB minimum, one chunk, across boundaries, several xorb-sized runs. */
function files(): Record<string, Uint8Array> {
  return {
    "fused/tiny.bin": new Uint8Array(randomBytes(100)),
    "fused/under-min.bin": new Uint8Array(randomBytes(8 * 1024 - 1)),
    "fused/one-chunk.bin": new Uint8Array(randomBytes(40_000)),
    "fused/boundaries.bin": new Uint8Array(randomBytes(700_000)),
    "fused/weights.safetensors.bin": new Uint8Array(randomBytes(3 * 1024 * 1024 + 17)),
  };
}

/** The built CLI, as the pipeline runs it, uploading `models` to `url` (a child process: python's Hub is on 127.0.0.1). */
function cli(url: string, models: string, args: string[] = []): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, "--model-dir", models, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: path.dirname(models), HF_ENDPOINT: url, HF_TOKEN: DEFAULT_TOKEN },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

const SCRIPT = `
import hashlib, json, os, sys
from huggingface_hub import HfApi, hf_hub_download
api = HfApi(endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
step = json.loads(sys.argv[1])
out = {}
if step["do"] == "upload_folder":
    api.create_repo(step["repo"], exist_ok=True)
    api.upload_folder(folder_path=step["folder"], repo_id=step["repo"], commit_message="hf_xet")
elif step["do"] == "download":
    for name in step["paths"]:
        out[name] = hashlib.sha256(open(hf_hub_download(step["repo"], name, force_download=True), "rb").read()).hexdigest()
print(json.dumps(out))
`;

async function python(url: string, step: unknown): Promise<Record<string, string>> {
  const home = await testdir();
  return (await runPython(PYTHON ?? "python3", SCRIPT, [JSON.stringify(step)], {
    HOME: home,
    HF_HOME: path.join(home, "hf"),
    HF_ENDPOINT: url,
    HF_TOKEN: DEFAULT_TOKEN,
    HF_HUB_DISABLE_TELEMETRY: "1",
    HF_HUB_DISABLE_PROGRESS_BARS: "1",
  })) as Record<string, string>;
}

async function servedHub(
  options: ConstructorParameters<typeof FakeHub>[0] = {},
): Promise<{ hub: FakeHub; url: string }> {
  const hub = new FakeHub(options);
  const served = await serveFakeHub(hub);
  onTestFinished(() => served.close());
  return { hub, url: served.url };
}

const xetHashes = (hub: FakeHub, repo: string): Map<string, string | null> =>
  new Map(
    hub
      .state()
      .repos.find((r) => r.id === repo)
      ?.files.map((file) => [file.path, file.xetHash]) ?? [],
  );

describe("what we upload through Xet, read by @huggingface/hub", () => {
  it("downloads byte for byte through Xet (XetBlob), and lists the Xet hash the Hub stores", async () => {
    const hub = useFakeHub();
    const models = await testdir();
    const contents = files();
    await writeMlxRun(models, RUN, { extra: contents });

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(hub.count("POST", /^\/__xet\/v1\/xorbs\//)).toBeGreaterThan(0);
    const auth = { hubUrl: TEST_HUB, accessToken: DEFAULT_TOKEN } as const;
    const repo = { type: "model", name: REPO } as const;
    const listed = new Map<string, string | undefined>();
    for await (const entry of listFiles({ ...auth, repo, recursive: true })) {
      listed.set(entry.path, entry.xetHash);
    }
    for (const [name, bytes] of Object.entries(contents)) {
      const blob = await downloadFile({ ...auth, repo, path: name });
      expect(blob?.constructor.name, name).toBe("XetBlob");
      expect(sha256(new Uint8Array(await (blob as Blob).arrayBuffer())), name).toBe(sha256(bytes));
      expect(listed.get(name), name).toBe(xetHashes(hub, REPO).get(name));
    }
  });
});

describe("what we upload through Xet, against hf_xet", () => {
  it.skipIf(PYTHON === undefined)(
    `gives every file the Xet hash hf_xet gives the same bytes, and hf_xet downloads it byte for byte${PYTHON === undefined ? NO_PYTHON : ""}`,
    async () => {
      // Two Hubs: the CAS stores content once across repos, so on one Hub our upload of bytes hf_xet
      // had sent would only be found there, and the Xet hash the Hub reports would be hf_xet's.
      const reference = await servedHub();
      const { hub, url } = await servedHub();
      const models = await testdir();
      const contents = files();
      await writeMlxRun(models, RUN, { extra: contents });
      // The same bytes, uploaded by hf_xet through huggingface_hub's upload_folder.
      const folder = path.join(await testdir(), "reference");
      for (const [name, bytes] of Object.entries(contents)) {
        await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
        await writeFile(path.join(folder, name), bytes);
      }
      await python(reference.url, { do: "upload_folder", repo: "alice/reference", folder });

      const ours = await cli(url, models);

      expect(ours.code, ours.stderr).toBe(0);
      expect(hub.count("POST", /^\/__xet\/v1\/xorbs\//)).toBeGreaterThan(0);
      const theirs = xetHashes(reference.hub, "alice/reference");
      const mine = xetHashes(hub, REPO);
      for (const name of Object.keys(contents)) {
        expect(theirs.get(name), name).toMatch(/^[0-9a-f]{64}$/);
        expect(mine.get(name), name).toBe(theirs.get(name));
      }
      const downloaded = await python(url, { do: "download", repo: REPO, paths: Object.keys(contents) });
      expect(downloaded).toEqual(
        Object.fromEntries(Object.entries(contents).map(([name, bytes]) => [name, sha256(bytes)])),
      );
    },
    240_000,
  );

  it("gives a 1 GiB file the Xet hash hf_xet gives it (hf_xet 1.6.0's, tests/fixtures/xet)", async () => {
    const { hub, url } = await servedHub({ discardLfsContent: true });
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    const { seed, size } = XET_LARGE_INPUTS.oneGiB;
    const handle = await open(path.join(run, "fused-one-gib.bin"), "w");
    for (const piece of seededPieces(seed, size, 16 * 1024 * 1024)) {
      await handle.write(piece);
    }
    await handle.close();
    const expected = JSON.parse(
      await readFile(path.join(import.meta.dirname, "..", "fixtures", "xet", "expected.json"), "utf8"),
    ) as { oneGiB: { hash: string; size: number } };

    const ours = await cli(url, models);

    expect(ours.code, ours.stderr).toBe(0);
    expect(expected.oneGiB.size).toBe(size);
    expect(xetHashes(hub, REPO).get("fused-one-gib.bin")).toBe(expected.oneGiB.hash);
  }, 240_000);
});
