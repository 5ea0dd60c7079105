// The Xet upload path against the emulator (which offers Xet in its LFS batch answers, as the Hub
// does): what is stored, what is sent on the wire, the CAS token's life, the guard, retries and
// files that change. The reference clients' side is in xet-reference.test.ts.
import { createHash, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileChangedError, UsageError } from "../../src/errors.js";
import { createHubClient } from "../../src/hub/create-hub-client.js";
import type { HubClient, UploadEvent, UploadFile } from "../../src/hub/hub-client.js";
import { DEFAULT_TOKEN, type FakeHubOptions } from "../../emulator/fake-hub.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { RUN } from "../helpers/fixtures.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { runCli, TEST_HUB } from "../helpers/run-cli.js";
import { isStorageUpload, storageUploads } from "../helpers/storage-uploads.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";
import { xetGoldenInputs } from "../helpers/xet-inputs.js";

const REPO = { type: "model" as const, id: "alice/x" };
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const MiB = 1024 * 1024;
const isCas = (request: Request, method: string, pattern: RegExp): boolean =>
  request.method === method && pattern.test(new URL(request.url).pathname);

function client(options: { testSignals?: string[]; signal?: AbortSignal; maxRetries?: number } = {}): HubClient {
  return createHubClient({
    hubUrl: TEST_HUB,
    token: DEFAULT_TOKEN,
    testSignals: options.testSignals ?? [],
    network: { maxRetries: options.maxRetries ?? 0, retryBaseMs: 1, timeoutMs: 30_000 },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

function setUp(options: FakeHubOptions = {}): ReturnType<typeof useFakeHub> {
  const hub = useFakeHub(options);
  hub.addRepo({ id: REPO.id });
  return hub;
}

async function onDisk(contents: Record<string, Uint8Array>): Promise<UploadFile[]> {
  const dir = await testdir();
  const files: UploadFile[] = [];
  for (const [name, bytes] of Object.entries(contents)) {
    await writeFile(path.join(dir, name), bytes);
    files.push({ pathInRepo: name, size: bytes.length, content: { type: "file", abs: path.join(dir, name) } });
  }
  return files;
}

function commit(hub: HubClient, files: UploadFile[], onEvent?: (event: UploadEvent) => void) {
  return hub.commit({ repo: REPO, files, title: "t", description: "d", parentCommit: undefined, onEvent });
}

/** A file of `size` bytes, and its next version with a quarter (`at` the start, or in the middle) replaced. */
function versions(size: number, at: "start" | "middle"): [Uint8Array, Uint8Array] {
  const v1 = new Uint8Array(randomBytes(size));
  const v2 = v1.slice();
  v2.set(randomBytes(size / 4), at === "start" ? 0 : (size * 3) / 8);
  return [v1, v2];
}

describe("uploads through Xet", () => {
  it("stores every file under the Xet hash hf_xet gives it, byte for byte (an empty one inline, as the Hub keeps it)", async () => {
    const hub = setUp();
    // hf_xet's file hashes of the same inputs (captured from hf_xet 1.6.0: tests/fixtures/xet).
    const expected = JSON.parse(
      await readFile(path.join(import.meta.dirname, "..", "fixtures", "xet", "expected.json"), "utf8"),
    ) as { files: Array<{ name: string; hash: string }> };
    // Named *.bin so the Hub's LFS rules send each through storage (text would be committed inline).
    const inputs = xetGoldenInputs().map(({ name, bytes }) => ({ name: `${name}.bin`, bytes, from: name }));
    const files = await onDisk(Object.fromEntries(inputs.map(({ name, bytes }) => [name, bytes])));

    const outcome = await commit(client(), files);

    const stored = new Map(
      hub
        .state()
        .repos.find((repo) => repo.id === REPO.id)
        ?.files.map((file) => [file.path, file]),
    );
    for (const { name, bytes, from } of inputs) {
      expect(stored.get(name)?.sha256, name).toBe(sha256(bytes));
      expect(sha256(await hub.fileContent(REPO.id, name)), name).toBe(sha256(bytes));
      if (bytes.length === 0) {
        // The Hub's preupload keeps an empty file as a plain git blob: no storage, no Xet hash.
        expect(stored.get(name)?.lfs, name).toBe(false);
        continue;
      }
      expect(stored.get(name)?.xetHash, name).toBe(expected.files.find((file) => file.name === from)?.hash);
    }
    expect(hub.count("PUT", /./)).toBe(0);
    expect(outcome.storage.bytes).toBe(inputs.reduce((sum, { bytes }) => sum + bytes.length, 0));
    expect(outcome.xetProbes.get("many-chunks.bin.bin")?.length).toBeGreaterThan(0);
    expect(outcome.storage.dedupedBytes).toBe(0);
    // Zeros and words compress (LZ4, byte grouping for floats); the shard is on top.
    expect(outcome.storage.sentBytes).toBeLessThan(outcome.storage.bytes);
  });

  it("offers Xet in the LFS batch, and with xet off (--no-xet, HF_HUB_DISABLE_XET) offers and uses only LFS", async () => {
    const bodies: Array<{ transfers: string[] }> = [];
    const intercept = async (request: Request): Promise<undefined> => {
      if (isCas(request, "POST", /\/info\/lfs\/objects\/batch$/)) {
        bodies.push((await request.clone().json()) as { transfers: string[] });
      }
      return undefined;
    };
    const hub = useFakeHub({ intercept });
    const models = await testdir();
    await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(2 * MiB) } });

    expect((await runCli(["--model-dir", models, "--repo", "alice/a"])).exitCode).toBe(0);
    const viaXet = hub.requests.length;
    expect(bodies.at(-1)?.transfers).toEqual(["basic", "multipart", "xet"]);
    expect(hub.count("POST", /^\/__xet\/v1\/xorbs\//)).toBeGreaterThan(0);
    expect(hub.count("PUT", /./)).toBe(0);

    for (const [args, env] of [
      [["--no-xet"], {}],
      [[], { HF_HUB_DISABLE_XET: "1" }],
    ] as const) {
      const before = hub.requests.length;
      const result = await runCli(["--model-dir", models, "--repo", `alice/b${before}`, ...args], { env });
      expect(result.exitCode, result.stderr).toBe(0);
      const requests = hub.requests.slice(before);
      expect(bodies.at(-1)?.transfers).toEqual(["basic", "multipart"]);
      expect(requests.filter((r) => r.path.startsWith("/__xet/"))).toEqual([]);
      // Everything was on the Hub already (the first upload): the LFS batch answers "stored".
      expect(requests.filter((r) => r.method === "PUT")).toEqual([]);
    }
    // --xet beats HF_HUB_DISABLE_XET.
    const before = hub.requests.length;
    await runCli(["--model-dir", models, "--repo", "alice/c", "--xet"], { env: { HF_HUB_DISABLE_XET: "1" } });
    expect(bodies.at(-1)?.transfers).toEqual(["basic", "multipart", "xet"]);
    expect(before).toBeGreaterThan(viaXet);
  });

  it("falls back to LFS against a Hub without Xet", async () => {
    const hub = useFakeHub({ xet: false });
    const models = await testdir();
    const run = await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(2 * MiB) } });

    const result = await runCli(["--model-dir", models]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(hub.count("PUT", /^\/__lfs\//)).toBeGreaterThan(0);
    expect(sha256(await hub.fileContent(`alice/${RUN}`, "fused/model.bin"))).toBe(
      sha256(await readFile(path.join(run, "fused", "model.bin"))),
    );
  });

  it.each(["start", "middle"] as const)(
    "sends at most 35 percent of the first upload when a quarter of each shard changed (at its %s), and says what it found",
    async (at) => {
      const hub = useFakeHub();
      const home = await testdir();
      const models = await testdir();
      const shards = [versions(8 * MiB, at), versions(8 * MiB, "middle"), versions(8 * MiB, at)];
      const write = async (version: 0 | 1, run: string): Promise<void> => {
        await writeMlxRun(models, run, {
          extra: Object.fromEntries(shards.map((pair, i) => [`fused/model-0${i}.bin`, pair[version]])),
        });
      };
      await write(0, RUN);
      const first = await runCli(["--model-dir", models, "--repo", "alice/model", "--json"], { home });
      expect(first.exitCode, first.stderr).toBe(0);
      const sentFirst = storageUploads(hub.requests);

      // The next run of the fine-tune, published into the same repo.
      const next = "webauthn-security-sequential_20250927_120000";
      await write(1, next);
      const before = hub.requests.length;
      const second = await runCli(["--model-dir", models, "--repo", "alice/model", "--json"], { home });

      expect(second.exitCode, second.stderr).toBe(0);
      const sentNext = storageUploads(hub.requests.slice(before));
      expect(sentNext.bytes / sentFirst.bytes).toBeLessThanOrEqual(0.35);
      expect(sentNext.bytes).toBeGreaterThan(3 * 2 * MiB);
      const result = JSON.parse(second.stdout) as {
        storage: { bytes: number; sentBytes: number; dedupedBytes: number };
      };
      expect(result.storage.sentBytes).toBe(sentNext.bytes);
      expect(result.storage.dedupedBytes).toBeGreaterThan(3 * 5 * MiB);
      // What was not found was sent (random bytes: as they are, 8 bytes a chunk and the shard on top).
      expect(result.storage.dedupedBytes + result.storage.sentBytes).toBeGreaterThanOrEqual(result.storage.bytes);
      expect(result.storage.dedupedBytes + result.storage.sentBytes).toBeLessThan(result.storage.bytes * 1.01);
      const stored = hub.state().repos.find((repo) => repo.id === "alice/model")?.files ?? [];
      for (const [i, [, v2]] of shards.entries()) {
        expect(stored.find((file) => file.path === `fused/model-0${i}.bin`)?.sha256).toBe(sha256(v2));
        expect(sha256(await hub.fileContent("alice/model", `fused/model-0${i}.bin`))).toBe(sha256(v2));
      }
    },
  );

  it("costs only the dedup queries for a file the Hub holds under another repo, and an unchanged re-run sends nothing", async () => {
    const hub = useFakeHub();
    const home = await testdir();
    const models = await testdir();
    await writeMlxRun(models, RUN, { extra: { "fused/model.bin": randomBytes(6 * MiB) } });
    expect((await runCli(["--model-dir", models, "--repo", "alice/one"], { home })).exitCode).toBe(0);

    const before = hub.requests.length;
    const other = await runCli(["--model-dir", models, "--repo", "alice/two"], { home: await testdir() });
    expect(other.exitCode, other.stderr).toBe(0);
    const elsewhere = hub.requests.slice(before);
    expect(elsewhere.filter((r) => r.method === "POST" && r.path.startsWith("/__xet/v1/xorbs/"))).toEqual([]);
    expect(elsewhere.filter((r) => r.method === "PUT")).toEqual([]);

    const again = hub.requests.length;
    const rerun = await runCli(["--model-dir", models, "--repo", "alice/two"], { home });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.stdout).toContain("Already up to date");
    expect(hub.requests.slice(again).filter(isStorageUpload)).toEqual([]);
    expect(hub.requests.slice(again).filter((r) => r.path.startsWith("/__xet/"))).toEqual([]);
    expect(commitsAfterInitial(hub.repos.get("alice/two"))).toHaveLength(1);
  });

  it("reports what it found on the Hub in the file events, and the bytes it sent", async () => {
    const hub = setUp();
    const [v1, v2] = versions(8 * MiB, "middle");
    await commit(client(), await onDisk({ "w.bin": v1 }));
    const events: UploadEvent[] = [];

    const outcome = await commit(client(), await onDisk({ "w.bin": v2 }), (event) => events.push(event));

    const last = events.filter((event) => event.type === "file" && event.state === "uploading").at(-1);
    expect(last).toMatchObject({ path: "w.bin", progress: 1, bytes: v2.length, totalBytes: v2.length });
    const deduped = (last as { dedupedBytes?: number }).dedupedBytes ?? 0;
    expect(deduped).toBeGreaterThan(5 * MiB);
    expect(deduped).toBe(outcome.storage.dedupedBytes);
    expect(outcome.storage.sentBytes).toBeLessThan(3 * MiB);
    expect(hub.repo("model", REPO.id)?.files.get("w.bin")?.lfs?.oid).toBe(sha256(v2));
  });
});

describe("the CAS token, the guard and the retry loop on the Xet path", () => {
  it("renews the CAS token before it expires on a long upload: no request is refused for an expired token", async () => {
    let renewals = 0;
    const hub = setUp({
      // Tokens live 3 s; every CAS request takes 1.2 s: the first token runs out halfway.
      xet: { tokenTtlSeconds: 3 },
      intercept: async (request) => {
        const where = new URL(request.url).pathname;
        if (where.includes("/xet-write-token/")) {
          renewals++;
        }
        if (where.startsWith("/__xet/")) {
          await new Promise((resolve) => setTimeout(resolve, 1200));
        }
        return undefined;
      },
    });
    const [v1] = versions(2 * MiB, "middle");

    await commit(client(), await onDisk({ "w.bin": v1, "x.bin": randomBytes(MiB) }));

    expect(renewals).toBeGreaterThan(0);
    expect(hub.requests.filter((r) => r.path.startsWith("/__xet/") && r.status === 401)).toEqual([]);
    expect(hub.repo("model", REPO.id)?.files.get("w.bin")?.lfs?.oid).toBe(sha256(v1));
  });

  it("renews the token and sends again when the CAS refuses it as expired (401)", async () => {
    let refused = false;
    const hub = setUp({
      intercept: (request) => {
        if (!refused && isCas(request, "POST", /^\/__xet\/v1\/xorbs\//)) {
          refused = true;
          return new Response(JSON.stringify({ error: "token expired" }), { status: 401 });
        }
        return undefined;
      },
    });

    await commit(client(), await onDisk({ "w.bin": randomBytes(MiB) }));

    expect(refused).toBe(true);
    expect(hub.count("GET", /\/xet-write-token\//)).toBe(1);
    expect(hub.count("POST", /^\/__xet\/v1\/xorbs\//)).toBe(2);
  });

  it("refuses, under a test runner, the production Hub's Xet storage handed out by a Hub that is not production", async () => {
    setUp({
      postprocess: async (request, response) => {
        if (!isCas(request, "POST", /\/info\/lfs\/objects\/batch$/)) {
          return response;
        }
        const answer = (await response.json()) as {
          objects: Array<{ actions?: { upload?: { header?: Record<string, string> } } }>;
        };
        for (const object of answer.objects) {
          const header = object.actions?.upload?.header;
          if (header !== undefined) {
            header["X-Xet-Cas-Url"] = "https://cas-server.xethub.hf.co";
          }
        }
        return Response.json(answer, { headers: { "content-type": "application/vnd.git-lfs+json" } });
      },
    });

    const error = await commit(client({ testSignals: ["VITEST"] }), await onDisk({ "w.bin": randomBytes(MiB) })).catch(
      (rejected: unknown) => rejected,
    );

    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toContain(
      "test environment detected (VITEST) and the Hub handed out the production Xet storage (https://cas-server.xethub.hf.co)",
    );
    // Nothing went there: msw fails any request to a host it does not serve, and none was attempted.
  });

  it("waits as the CAS asks (429 with Retry-After) on dedup queries, xorbs and shards, then completes", async () => {
    const limited = new Set<string>();
    const hub = setUp({
      intercept: (request) => {
        const where = new URL(request.url).pathname.replace(/[0-9a-f]{64}$/, "");
        if (where.startsWith("/__xet/") && !limited.has(where)) {
          limited.add(where);
          return new Response("slow down", { status: 429, headers: { "retry-after": "1" } });
        }
        return undefined;
      },
    });
    const retries: number[] = [];
    const waiting = createHubClient({
      hubUrl: TEST_HUB,
      token: DEFAULT_TOKEN,
      testSignals: [],
      network: { maxRetries: 2, retryBaseMs: 1, timeoutMs: 30_000 },
      onRetry: (info) => retries.push(info.delayMs),
    });

    await commit(waiting, await onDisk({ "w.bin": randomBytes(MiB) }));

    expect([...limited].sort()).toEqual([
      "/__xet/v1/chunks/default-merkledb/",
      "/__xet/v1/xorbs/default/",
      "/__xet/v2/shards",
    ]);
    expect(retries).toEqual([1000, 1000, 1000]);
    expect(hub.repo("model", REPO.id)?.files.get("w.bin")).toBeDefined();
  });
});

describe("files that change while they go through Xet", () => {
  it("a file rewritten after it was read for its chunks, before its xorb is built: named, nothing sent, nothing committed", async () => {
    let target = "";
    const hub = setUp({
      intercept: async (request) => {
        // Its chunks are known (the dedup query asks about the first); its xorb is not built yet.
        if (isCas(request, "GET", /^\/__xet\/v1\/chunks\//) && target !== "") {
          await writeFile(target, randomBytes(MiB));
          target = "";
        }
        return undefined;
      },
    });
    const files = await onDisk({ "w.bin": randomBytes(MiB) });
    target = (files[0]?.content as { abs: string }).abs;

    const error = await commit(client(), files).catch((rejected: unknown) => rejected);

    expect(error).toBeInstanceOf(FileChangedError);
    expect((error as Error).message).toBe("w.bin changed while it was being uploaded");
    expect(hub.count("POST", /^\/__xet\/v1\/xorbs\//)).toBe(0);
    expect(hub.count("POST", /\/commit\//)).toBe(0);
  });
});
