import { createHash, randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InterruptedError } from "../../src/errors.js";
import { createHubClient } from "../../src/hub/create-hub-client.js";
import type { HubClient, UploadEvent, UploadFile } from "../../src/hub/hub-client.js";
import { DEFAULT_TOKEN, type FakeHubOptions } from "../../emulator/fake-hub.js";
import { TEST_HUB } from "../helpers/run-cli.js";
import { testdir } from "../helpers/testdir.js";
import { useFakeHub } from "../helpers/use-fake-hub.js";

const REPO = { type: "model" as const, id: "alice/x" };
const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
const isPath = (request: Request, method: string, pattern: RegExp): boolean =>
  request.method === method && pattern.test(new URL(request.url).pathname);

function client(signal?: AbortSignal): HubClient {
  return createHubClient({
    hubUrl: TEST_HUB,
    token: DEFAULT_TOKEN,
    testSignals: ["VITEST"],
    network: { maxRetries: 0, retryBaseMs: 1, timeoutMs: 30_000 },
    // The LFS path (the Xet path, which the emulator offers too, has its tests in xet-upload.test.ts).
    xet: false,
    ...(signal === undefined ? {} : { signal }),
  });
}

function setUp(options: FakeHubOptions = {}): ReturnType<typeof useFakeHub> {
  const hub = useFakeHub(options);
  hub.addRepo({ id: REPO.id });
  return hub;
}

/** Real files in a temp folder, as the staging step hands them to the Hub client. */
async function onDisk(contents: Record<string, Buffer>): Promise<UploadFile[]> {
  const dir = await testdir(contents);
  return Object.entries(contents).map(([name, bytes]) => ({
    pathInRepo: name,
    size: bytes.length,
    content: { type: "file" as const, abs: path.join(dir, name) },
  }));
}

function commit(hub: HubClient, files: UploadFile[], onEvent?: (event: UploadEvent) => void) {
  return hub.commit({
    repo: REPO,
    files,
    title: "t",
    description: "d",
    parentCommit: undefined,
    onEvent,
  });
}

describe("our own LFS commit path", () => {
  it("hashes on the worker pool to the same oids the Hub stores, and does not hash a file whose sha256 it is given", async () => {
    const hub = setUp();
    const contents = {
      "a.safetensors": randomBytes(3 * 1024 * 1024 + 5),
      "b.bin": randomBytes(2 * 1024 * 1024),
      "c.safetensors": randomBytes(1024 * 1024 + 1),
      "small.safetensors": randomBytes(1000),
    };
    const files = await onDisk(contents);
    const known = files.map((file) =>
      file.pathInRepo === "c.safetensors" ? { ...file, sha256: sha256(contents["c.safetensors"]) } : file,
    );
    const events: UploadEvent[] = [];

    const outcome = await commit(client(), known, (event) => events.push(event));

    const stored = hub.repo("model", REPO.id)?.files;
    for (const [name, bytes] of Object.entries(contents)) {
      if (name === "b.bin") {
        continue;
      }
      expect(stored?.get(name)?.lfs).toEqual({ oid: sha256(bytes), size: bytes.length });
      expect(outcome.lfsOids.get(name)).toBe(sha256(bytes));
      expect(hub.lfs.get(sha256(bytes))?.content?.equals(bytes)).toBe(true);
    }
    const hashed = new Set(
      events.flatMap((event) => (event.type === "file" && event.state === "hashing" ? [event.path] : [])),
    );
    expect(hashed).toContain("a.safetensors");
    expect(hashed).not.toContain("c.safetensors");
  });

  it("starts a certain LFS file's batch and PUT before the preupload answers, and commits inline a file the preupload calls regular", async () => {
    let putSeen: () => void = () => undefined;
    const put = new Promise<void>((resolve) => (putSeen = resolve));
    const hub = setUp({
      intercept: async (request) => {
        if (isPath(request, "PUT", /^\/__lfs\//)) {
          putSeen();
        }
        if (isPath(request, "POST", /\/preupload\/main$/)) {
          // Held until the PUT came: a client that waited for this answer never gets it.
          const { files } = (await request.clone().json()) as { files: Array<{ path: string }> };
          await put;
          return Response.json({
            files: files.map((file) => ({ path: file.path, uploadMode: "regular", shouldIgnore: false })),
          });
        }
        return undefined;
      },
    });
    const bytes = randomBytes(4096);
    const files = await onDisk({ "w.safetensors": bytes, "README.md": Buffer.from("# card\n") });

    await commit(client(), files);

    expect(hub.count("POST", /\/info\/lfs\/objects\/batch$/)).toBe(1);
    expect(hub.count("PUT", /^\/__lfs\//)).toBe(1);
    const stored = hub.repo("model", REPO.id)?.files.get("w.safetensors");
    expect(stored?.lfs).toBeUndefined();
    expect(stored?.content?.equals(bytes)).toBe(true);
  });

  it("asks for a file hashed while an earlier batch request is in flight without waiting for its answer", async () => {
    let secondBatch: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (secondBatch = resolve));
    let batches = 0;
    const hub = setUp({
      intercept: async (request) => {
        if (isPath(request, "POST", /\/info\/lfs\/objects\/batch$/)) {
          batches++;
          if (batches === 1) {
            // Held until a second batch request comes: a client that waited for this answer never sends one.
            await second;
          } else {
            secondBatch();
          }
        }
        return undefined;
      },
    });
    const known = randomBytes(2 * 1024 * 1024);
    const later = randomBytes(2 * 1024 * 1024);
    const files = await onDisk({ "peft.safetensors": known, "mlx.safetensors": later });
    // One oid known up front (as the conversion's), the other hashed: its batch request can only come second.
    const given = files.map((file) =>
      file.pathInRepo === "peft.safetensors" ? { ...file, sha256: sha256(known) } : file,
    );

    await commit(client(), given);

    expect(batches).toBe(2);
    const stored = hub.repo("model", REPO.id)?.files;
    expect(stored?.get("peft.safetensors")?.lfs?.oid).toBe(sha256(known));
    expect(stored?.get("mlx.safetensors")?.lfs?.oid).toBe(sha256(later));
  });

  it("sends a file's PUT while a larger file is still being hashed", async () => {
    const controller = new AbortController();
    const log: string[] = [];
    setUp({
      intercept: (request) => {
        if (isPath(request, "PUT", /^\/__lfs\//)) {
          log.push(`PUT ${new URL(request.url).pathname}`);
          // Stop here: the sparse file takes minutes to hash, so its hash cannot have been awaited.
          controller.abort();
        }
        return undefined;
      },
    });
    const small = randomBytes(2 * 1024 * 1024);
    const files = await onDisk({ "adapter.safetensors": small });
    const dir = await testdir();
    const big = path.join(dir, "model.bin");
    // 64 GiB of holes: nothing on disk, but every byte has to be read to be hashed.
    const handle = await open(big, "w");
    await handle.truncate(64 * 1024 ** 3);
    await handle.close();
    files.push({ pathInRepo: "fused/model.bin", size: 64 * 1024 ** 3, content: { type: "file", abs: big } });

    const error = await commit(client(controller.signal), files, (event) => {
      if (event.type === "file" && event.state === "hashing" && event.progress === 1) {
        log.push(`hashed ${event.path}`);
      }
    }).then(
      () => undefined,
      (rejected: unknown) => rejected,
    );

    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as Error).message).toBe(`Interrupted while uploading to ${REPO.id}, before its commit was sent`);
    expect(log).toEqual([`hashed adapter.safetensors`, `PUT /__lfs/${sha256(small)}`]);
  });

  it("writes the regular files of a commit inline, read from disk", async () => {
    const hub = setUp();
    const files = await onDisk({ "config.json": Buffer.from('{"a":1}\n'), "README.md": Buffer.from("# card\n") });

    await commit(client(), files);

    expect(hub.count("POST", /\/info\/lfs\/objects\/batch$/)).toBe(0);
    expect(hub.repo("model", REPO.id)?.files.get("config.json")?.content?.toString()).toBe('{"a":1}\n');
  });
});
