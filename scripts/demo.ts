/**
 * `npm run demo`: the main job end to end on the bundled example runs, with no account and no
 * internet. Starts the local Hub emulator on 127.0.0.1, runs the built CLI exactly as the pipeline
 * does (`process-artifacts --only-upload --model-dir examples/model-runs`: a run still training is
 * skipped, the newest complete two-stage run is published as a PEFT model plus a dataset repo with
 * its training data), runs it again (nothing to send), then downloads every uploaded file back over
 * HTTP and compares it with the run byte for byte. Everything it writes (HOME, TMPDIR,
 * caches) lives in one temp folder that is removed at the end.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_TOKEN, FakeHub } from "../emulator/fake-hub.js";
import { serveFakeHub } from "../emulator/serve-fake-hub.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const models = path.join(root, "examples", "model-runs");
const bin = path.join(
  root,
  (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    "process-artifacts"
  ] ?? "missing-bin",
);
const sha = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex").slice(0, 16);

function run(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    process.stdout.write(`\n$ process-artifacts ${args.join(" ")}\n`);
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: "inherit",
    });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

const scratch = await mkdtemp(path.join(os.tmpdir(), "process-artifacts-demo-"));
const hub = new FakeHub({ storageDir: path.join(scratch, "hub-lfs") });
const served = await serveFakeHub(hub);
let failed = false;
try {
  process.stdout.write(`Local Hub emulator: ${served.url} (loopback only; token ${DEFAULT_TOKEN.slice(0, 6)}…)\n`);
  const env = {
    HOME: path.join(scratch, "home"),
    TMPDIR: scratch,
    XDG_CACHE_HOME: path.join(scratch, "cache"),
    HF_ENDPOINT: served.url,
    HF_TOKEN: DEFAULT_TOKEN,
  };

  failed ||= (await run(["--list-runs", "--model-dir", models], env)) !== 0;
  failed ||= (await run(["--only-upload", "--model-dir", models], env)) !== 0;
  // The pipeline re-runs often: the second time, nothing has changed, so nothing is sent.
  failed ||= (await run(["--only-upload", "--model-dir", models], env)) !== 0;

  process.stdout.write("\nReading the upload back from the emulator:\n");
  // Every run file by content, to tell which uploaded files are the run's own bytes.
  const runFiles = new Map<string, string>();
  for (const file of await readdir(models, { recursive: true, withFileTypes: true })) {
    if (file.isFile()) {
      const abs = path.join(file.parentPath, file.name);
      runFiles.set(sha(await readFile(abs)), path.relative(models, abs));
    }
  }
  for (const repo of hub.repos.values()) {
    const base = repo.type === "dataset" ? `${served.url}/datasets/${repo.id}` : `${served.url}/${repo.id}`;
    process.stdout.write(
      `  ${repo.type} ${repo.id} (${repo.private ? "private" : "public"}; commits: ${repo.commits.map((commit) => `"${commit.title}"`).join(", ")})\n`,
    );
    for (const [file, info] of [...repo.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const response = await fetch(`${base}/resolve/main/${file}`);
      const remote = new Uint8Array(await response.arrayBuffer());
      const same = runFiles.get(sha(remote));
      const verdict =
        same !== undefined
          ? `identical to ${same}`
          : file === "adapter_model.safetensors" || file === "adapter_config.json"
            ? "PEFT, converted from the MLX adapter"
            : file === "README.md"
              ? `${repo.type} card, generated`
              : file === ".gitattributes"
                ? "the Hub's own (every repo starts with it), with the LFS rules of the files stored there"
                : "sanitized copy (local paths removed)";
      if (!response.ok || remote.byteLength !== info.size) {
        failed = true;
      }
      process.stdout.write(
        `    ${file}  ${remote.byteLength} B  sha256 ${sha(remote)}…  ${info.lfs ? "[LFS] " : ""}${verdict}\n`,
      );
    }
  }
  process.stdout.write(
    failed
      ? "\nDemo FAILED\n"
      : "\nDemo OK: the newest complete run and its training data were published, and every file reads back intact.\n",
  );
} finally {
  await served.close();
  await rm(scratch, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
