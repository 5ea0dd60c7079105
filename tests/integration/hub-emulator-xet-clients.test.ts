import { createHash, randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createRepo, downloadFile, listFiles, uploadFiles } from "@huggingface/hub";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN, FakeHub, type RecordedRequest } from "../../emulator/fake-hub.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { TEST_HUB } from "../helpers/run-cli.js";
import { startHubCommand } from "../helpers/start-hub-command.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { runPython, xetPython } from "../helpers/xet-python.js";

const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");
const PYTHON = xetPython();
const NO_PYTHON = " (skipped: no python with huggingface_hub and hf_xet; set HF_HUB_PYTHON)";

/** Bytes the CAS received in uploads (xorbs and shards) among these requests. */
const casUploadBytes = (requests: readonly RecordedRequest[]): number =>
  requests.filter((r) => r.method === "POST" && r.path.startsWith("/__xet/")).reduce((sum, r) => sum + r.bytes, 0);

/** v1 of a file, and v2 with a quarter of it (a run in the middle) replaced. */
function versions(size: number): [Buffer, Buffer] {
  const v1 = randomBytes(size);
  const v2 = Buffer.from(v1);
  randomBytes(size / 4).copy(v2, (size * 3) / 8);
  return [v1, v2];
}

/**
 * huggingface_hub driven by a list of steps, printing what it downloaded (sha256 per key) and the
 * tree's Xet hashes: every call goes through the library's public API, as a user's script would.
 */
const SCRIPT = `
import hashlib, json, os, sys
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download, snapshot_download
api = HfApi(endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
out = {}
for step in json.loads(sys.argv[1]):
    do, repo = step["do"], step.get("repo")
    if do == "create":
        api.create_repo(repo, exist_ok=True)
    elif do == "upload_folder":
        api.upload_folder(folder_path=step["folder"], repo_id=repo, commit_message="folder")
    elif do == "upload_file":
        api.upload_file(path_or_fileobj=step["file"], path_in_repo=step["path"], repo_id=repo)
    elif do == "upload_bytes":
        api.upload_file(path_or_fileobj=open(step["file"], "rb").read(), path_in_repo=step["path"], repo_id=repo)
    elif do == "create_commit":
        ops = [CommitOperationAdd(path_in_repo=p, path_or_fileobj=f) for p, f in step["files"].items()]
        api.create_commit(repo, operations=ops, commit_message="commit")
    elif do == "download":
        out[step["key"]] = sha(hf_hub_download(repo, step["path"], force_download=True))
    elif do == "snapshot":
        folder = snapshot_download(repo, local_dir=step["dir"])
        out[step["key"]] = {
            os.path.relpath(os.path.join(d, f), folder): sha(os.path.join(d, f))
            for d, _, fs in os.walk(folder) if ".cache" not in d for f in fs
        }
    elif do == "tree":
        out["tree"] = {e.path: getattr(e, "xet_hash", None) for e in api.list_repo_tree(repo, recursive=True) if hasattr(e, "size")}
print(json.dumps(out))
`;

async function python(
  url: string,
  steps: unknown[],
  options: { noXet?: boolean; token?: string } = {},
): Promise<Record<string, unknown>> {
  if (PYTHON === undefined) {
    throw new Error("no python");
  }
  // A fresh HF_HOME each run: nothing is deduplicated against hf_xet's local cache, only against the CAS.
  const home = await testdir();
  return (await runPython(PYTHON, SCRIPT, [JSON.stringify(steps)], {
    HOME: home,
    HF_HOME: path.join(home, "hf"),
    HF_ENDPOINT: url,
    HF_TOKEN: options.token ?? DEFAULT_TOKEN,
    HF_HUB_DISABLE_TELEMETRY: "1",
    HF_HUB_DISABLE_PROGRESS_BARS: "1",
    ...(options.noXet ? { HF_HUB_DISABLE_XET: "1" } : {}),
  })) as Record<string, unknown>;
}

async function servedHub(): Promise<{ hub: FakeHub; url: string }> {
  const hub = new FakeHub();
  const served = await serveFakeHub(hub);
  onTestFinished(() => served.close());
  return { hub, url: served.url };
}

const count = (requests: readonly RecordedRequest[], method: string, pattern: RegExp): number =>
  requests.filter((r) => r.method === method && pattern.test(r.path)).length;

describe("python huggingface_hub + hf_xet (Xet on, its default) against the emulator", () => {
  it.skipIf(PYTHON === undefined)(
    `uploads with upload_folder, upload_file and create_commit through Xet and downloads through Xet${PYTHON === undefined ? NO_PYTHON : ""}`,
    async () => {
      const { hub, url } = await servedHub();
      const dir = await testdir();
      const folder = path.join(dir, "model");
      await mkdir(path.join(folder, "sub"), { recursive: true });
      const files: Record<string, Buffer> = {
        "model.safetensors": randomBytes(2_500_000),
        "sub/weights.bin": randomBytes(1_200_000),
        "config.json": Buffer.from('{"hidden": 8}\n'),
      };
      for (const [name, bytes] of Object.entries(files)) {
        await writeFile(path.join(folder, name), bytes);
      }
      const single = randomBytes(900_000);
      const fromBytes = randomBytes(700_000);
      const committed = randomBytes(1_100_000);
      await writeFile(path.join(dir, "single.bin"), single);
      await writeFile(path.join(dir, "bytes.bin"), fromBytes);
      await writeFile(path.join(dir, "committed.bin"), committed);
      const repo = "alice/xet-model";

      const out = await python(url, [
        { do: "create", repo },
        { do: "upload_folder", repo, folder },
        { do: "upload_file", repo, file: path.join(dir, "single.bin"), path: "single.bin" },
        { do: "upload_bytes", repo, file: path.join(dir, "bytes.bin"), path: "bytes.bin" },
        { do: "create_commit", repo, files: { "deep/committed.bin": path.join(dir, "committed.bin") } },
        { do: "download", repo, path: "sub/weights.bin", key: "weights" },
        { do: "snapshot", repo, dir: path.join(dir, "snapshot"), key: "snapshot" },
        { do: "tree", repo },
      ]);

      const expected: Record<string, string> = {
        ...Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, sha256(bytes)])),
        "single.bin": sha256(single),
        "bytes.bin": sha256(fromBytes),
        "deep/committed.bin": sha256(committed),
      };
      expect(out.weights).toBe(expected["sub/weights.bin"]);
      // Every repo also holds the Hub's own .gitattributes (its "initial commit").
      expect(out.snapshot).toEqual({ ...expected, ".gitattributes": expect.any(String) as string });
      // Every binary file went up through the CAS, none through an LFS PUT, and came down through it.
      expect(count(hub.requests, "PUT", /^\/__lfs\//)).toBe(0);
      expect(count(hub.requests, "POST", /^\/__xet\/v1\/xorbs\/default\//)).toBeGreaterThan(0);
      expect(count(hub.requests, "GET", /^\/__xet\/v[12]\/reconstructions\//)).toBeGreaterThan(0);
      expect(count(hub.requests, "GET", /^\/__xet\/transfer\/xorbs\/default\//)).toBeGreaterThan(0);
      const repoFiles = hub.state().repos.find((r) => r.id === repo)?.files ?? [];
      const tree = out.tree as Record<string, string | null>;
      for (const file of repoFiles.filter((f) => f.lfs)) {
        expect(file.sha256).toBe(expected[file.path]);
        expect(file.xetHash).toMatch(/^[0-9a-f]{64}$/);
        expect(tree[file.path]).toBe(file.xetHash);
      }
      expect(
        repoFiles
          .filter((f) => f.lfs)
          .map((f) => f.path)
          .sort(),
      ).toEqual(["bytes.bin", "deep/committed.bin", "model.safetensors", "single.bin", "sub/weights.bin"]);
    },
    180_000,
  );

  it.skipIf(PYTHON === undefined)(
    `sends little for a re-upload of a file with a quarter changed: only the new chunks${PYTHON === undefined ? NO_PYTHON : ""}`,
    async () => {
      const { hub, url } = await servedHub();
      const dir = await testdir();
      const size = 8 * 1024 * 1024;
      const [v1, v2] = versions(size);
      await writeFile(path.join(dir, "v1.bin"), v1);
      await writeFile(path.join(dir, "v2.bin"), v2);
      const repo = "alice/reupload";
      await python(url, [
        { do: "create", repo },
        { do: "upload_file", repo, file: path.join(dir, "v1.bin"), path: "data.bin" },
      ]);
      const first = casUploadBytes(hub.requests);
      const before = hub.requests.length;
      const out = await python(url, [
        { do: "upload_file", repo, file: path.join(dir, "v2.bin"), path: "data.bin" },
        { do: "download", repo, path: "data.bin", key: "v2" },
      ]);
      const second = casUploadBytes(hub.requests.slice(before));

      expect(out.v2).toBe(sha256(v2));
      expect(first).toBeGreaterThanOrEqual(size);
      // A quarter is new; the chunks around the change and the shard add a little.
      expect(second).toBeGreaterThan(size / 4);
      expect(second).toBeLessThan(size * 0.3);
      expect(count(hub.requests.slice(before), "GET", /^\/__xet\/v1\/chunks\//)).toBeGreaterThan(0);
    },
    180_000,
  );

  it.skipIf(PYTHON === undefined)(
    `downloads files uploaded through LFS and through Xet through both paths${PYTHON === undefined ? NO_PYTHON : ""}`,
    async () => {
      const { hub, url } = await servedHub();
      const dir = await testdir();
      const lfs = randomBytes(1_500_000);
      const xet = randomBytes(1_300_000);
      await writeFile(path.join(dir, "lfs.bin"), lfs);
      await writeFile(path.join(dir, "xet.bin"), xet);
      const repo = "alice/both";
      await python(
        url,
        [
          { do: "create", repo },
          { do: "upload_file", repo, file: path.join(dir, "lfs.bin"), path: "lfs.bin" },
        ],
        {
          noXet: true,
        },
      );
      expect(count(hub.requests, "PUT", /^\/__lfs\//)).toBe(1);
      await python(url, [{ do: "upload_file", repo, file: path.join(dir, "xet.bin"), path: "xet.bin" }]);
      expect(hub.lfs.has(sha256(xet))).toBe(false);

      let before = hub.requests.length;
      const throughXet = await python(url, [
        { do: "download", repo, path: "lfs.bin", key: "lfs" },
        { do: "download", repo, path: "xet.bin", key: "xet" },
      ]);
      expect(throughXet).toEqual({ lfs: sha256(lfs), xet: sha256(xet) });
      const xetHashes =
        hub
          .state()
          .repos[0]?.files.filter((f) => f.path !== ".gitattributes")
          .map((f) => f.xetHash) ?? [];
      for (const hash of xetHashes) {
        expect(
          count(hub.requests.slice(before), "GET", new RegExp(`^/__xet/v2/reconstructions/${hash}$`)),
        ).toBeGreaterThan(0);
      }
      expect(count(hub.requests.slice(before), "GET", /\/resolve\//)).toBe(0);

      before = hub.requests.length;
      const plain = await python(
        url,
        [
          { do: "download", repo, path: "lfs.bin", key: "lfs" },
          { do: "download", repo, path: "xet.bin", key: "xet" },
        ],
        { noXet: true },
      );
      expect(plain).toEqual({ lfs: sha256(lfs), xet: sha256(xet) });
      expect(count(hub.requests.slice(before), "GET", /^\/alice\/both\/resolve\/main\/(lfs|xet)\.bin$/)).toBe(2);
      expect(count(hub.requests.slice(before), "GET", /^\/__xet\//)).toBe(0);
    },
    180_000,
  );

  it.skipIf(PYTHON === undefined)(
    `works with the built process-artifacts-hub as installed, and is refused by --no-xet as by an old Hub${PYTHON === undefined ? NO_PYTHON : ""}`,
    async () => {
      const dir = await testdir();
      const bytes = randomBytes(600_000);
      await writeFile(path.join(dir, "w.bin"), bytes);
      const steps = [
        { do: "create", repo: "alice/bin" },
        { do: "upload_file", repo: "alice/bin", file: path.join(dir, "w.bin"), path: "w.bin" },
        { do: "download", repo: "alice/bin", path: "w.bin", key: "w" },
      ];
      const hub = await startHubCommand([]);
      expect(await python(hub.info.url, steps, { token: hub.info.token })).toEqual({ w: sha256(bytes) });

      const old = await startHubCommand(["--no-xet"]);
      await expect(python(old.info.url, steps, { token: old.info.token })).rejects.toThrow(/404.*xet-write-token/s);
      expect(await python(old.info.url, steps.slice(1), { token: old.info.token, noXet: true })).toEqual({
        w: sha256(bytes),
      });
    },
    180_000,
  );
});

describe("@huggingface/hub against the emulator", () => {
  const auth = { hubUrl: TEST_HUB, accessToken: DEFAULT_TOKEN } as const;

  it("uploads with useXet through the CAS, and downloads Xet- and LFS-uploaded files through Xet and plainly", async () => {
    const hub = useFakeHub();
    const repo = { type: "model", name: "alice/js-xet" } as const;
    await createRepo({ ...auth, repo });
    const xet = randomBytes(1_800_000);
    const lfs = randomBytes(1_200_000);
    await uploadFiles({ ...auth, repo, useXet: true, files: [{ path: "xet.bin", content: new Blob([xet]) }] });
    expect(count(hub.requests, "POST", /^\/__xet\/v1\/xorbs\//)).toBeGreaterThan(0);
    expect(count(hub.requests, "PUT", /^\/__lfs\//)).toBe(0);
    await uploadFiles({ ...auth, repo, useXet: false, files: [{ path: "lfs.bin", content: new Blob([lfs]) }] });
    expect(count(hub.requests, "PUT", /^\/__lfs\//)).toBe(1);

    for (const [name, bytes] of [
      ["xet.bin", xet],
      ["lfs.bin", lfs],
    ] as const) {
      const viaXet = await downloadFile({ ...auth, repo, path: name });
      expect(viaXet?.constructor.name).toBe("XetBlob");
      expect(sha256(new Uint8Array(await (viaXet as Blob).arrayBuffer()))).toBe(sha256(bytes));
      const plain = await downloadFile({ ...auth, repo, path: name, xet: false });
      expect(plain?.constructor.name).not.toBe("XetBlob");
      expect(sha256(new Uint8Array(await (plain as Blob).arrayBuffer()))).toBe(sha256(bytes));
    }
    const listed: Record<string, string | undefined> = {};
    for await (const entry of listFiles({ ...auth, repo })) {
      listed[entry.path] = entry.xetHash;
    }
    expect(listed["xet.bin"]).toBe(hub.state().repos[0]?.files.find((f) => f.path === "xet.bin")?.xetHash);
    expect(listed["lfs.bin"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("sends little for a re-upload with a quarter changed", async () => {
    const hub = useFakeHub();
    const repo = { type: "model", name: "alice/js-reupload" } as const;
    await createRepo({ ...auth, repo });
    const size = 8 * 1024 * 1024;
    const [v1, v2] = versions(size);
    await uploadFiles({
      ...auth,
      repo,
      useXet: true,
      files: [{ path: "data.bin", content: new Blob([new Uint8Array(v1)]) }],
    });
    const first = casUploadBytes(hub.requests);
    const before = hub.requests.length;
    await uploadFiles({
      ...auth,
      repo,
      useXet: true,
      files: [{ path: "data.bin", content: new Blob([new Uint8Array(v2)]) }],
    });
    const second = casUploadBytes(hub.requests.slice(before));
    expect(first).toBeGreaterThanOrEqual(size);
    expect(second).toBeGreaterThan(size / 4);
    expect(second).toBeLessThan(size * 0.3);
    expect((await hub.fileContent("alice/js-reupload", "data.bin")).equals(v2)).toBe(true);
  });

  it("falls back to LFS against process-artifacts-hub --no-xet", async () => {
    const started = await startHubCommand(["--no-xet"]);
    const repo = { type: "model", name: "alice/old-hub" } as const;
    const remote = { hubUrl: started.info.url, accessToken: started.info.token };
    await createRepo({ ...remote, repo });
    const bytes = randomBytes(300_000);
    await uploadFiles({ ...remote, repo, useXet: true, files: [{ path: "w.bin", content: new Blob([bytes]) }] });
    const state = (await (await fetch(`${started.info.url}/__emulator/state`)).json()) as {
      repos: Array<{ files: Array<{ path: string; sha256: string; xetHash: string | null }> }>;
    };
    expect(state.repos[0]?.files).toEqual([
      expect.objectContaining({ path: ".gitattributes" }),
      expect.objectContaining({ path: "w.bin", sha256: sha256(bytes), xetHash: null }),
    ]);
    const blob = await downloadFile({ ...remote, repo, path: "w.bin" });
    expect(blob?.constructor.name).not.toBe("XetBlob");
    expect(sha256(new Uint8Array(await (blob as Blob).arrayBuffer()))).toBe(sha256(bytes));
    expect(started.stderr()).toMatch(/PUT \/__lfs\/[0-9a-f]{64} 200/);
  });
});
