import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  decodeShard,
  encodeShard,
  hashToHex,
  hexToHash,
  createXetHasher,
  type XetHasher,
  parseXorb,
  type Shard,
} from "../../src/xet/index.js";
import { testdir } from "../../tests/helpers/testdir.js";
import { buildXetUpload, type XetUpload } from "../../tests/helpers/xet-upload.js";
import { seededBytes } from "../../tests/helpers/xet-inputs.js";
import { DEFAULT_TOKEN, FakeHub } from "../fake-hub.js";

const ORIGIN = "http://hub.local:8080";
const CAS = `${ORIGIN}/__xet`;

let hasher: XetHasher;
/** 600 kB: random bytes, then text that compresses (so chunks are stored both ways), in 3 xorbs. */
let content: Uint8Array;
let upload: XetUpload;

beforeAll(() => {
  hasher = createXetHasher();
  const text = new TextEncoder().encode("the quick brown fox jumps over the lazy dog; ".repeat(6000));
  content = new Uint8Array([...seededBytes(7, 330_000), ...text]);
  upload = buildXetUpload(hasher, content, { chunksPerXorb: 3 });
});

interface Call {
  token?: string | null;
  body?: Uint8Array | string;
  headers?: Record<string, string>;
}

async function call(hub: FakeHub, method: string, url: string, options: Call = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined && options.token !== null) {
    headers.set("authorization", `Bearer ${options.token}`);
  }
  return hub.handle(
    new Request(url.startsWith("http") ? url : `${ORIGIN}${url}`, {
      method,
      headers,
      ...(options.body === undefined
        ? {}
        : { body: typeof options.body === "string" ? options.body : new Uint8Array(options.body) }),
    }),
  );
}

async function xetToken(hub: FakeHub, kind: "read" | "write", repo = "alice/x"): Promise<string> {
  const response = await call(hub, "GET", `/api/models/${repo}/xet-${kind}-token/main`, { token: DEFAULT_TOKEN });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function sendXorbs(hub: FakeHub, token: string, value = upload): Promise<void> {
  for (const xorb of value.xorbs) {
    const response = await call(hub, "POST", `${CAS}/v1/xorbs/default/${hashToHex(xorb.hash)}`, {
      token,
      body: xorb.bytes,
    });
    expect(response.status).toBe(200);
  }
}

async function sendAll(hub: FakeHub, token: string, value = upload): Promise<void> {
  await sendXorbs(hub, token, value);
  const response = await call(hub, "POST", `${CAS}/v1/shards`, { token, body: value.shardBytes });
  expect(response.status).toBe(200);
}

function freshHub(options: ConstructorParameters<typeof FakeHub>[0] = {}): FakeHub {
  const hub = new FakeHub(options);
  hub.addRepo({ id: "alice/x" });
  hub.addRepo({ id: "alice/y" });
  return hub;
}

/** Commits the uploaded file to a repo, as a client does once the shard is in. */
async function commitFile(hub: FakeHub, repo: string, filePath: string, value = upload): Promise<Response> {
  const body = [
    { key: "header", value: { summary: `add ${filePath}` } },
    { key: "lfsFile", value: { path: filePath, algo: "sha256", oid: value.sha256, size: content.length } },
  ]
    .map((line) => JSON.stringify(line))
    .join("\n");
  return call(hub, "POST", `/api/models/${repo}/commit/main`, {
    token: DEFAULT_TOKEN,
    body,
    headers: { "content-type": "application/x-ndjson" },
  });
}

interface V2Answer {
  offset_into_first_range: number;
  terms: Array<{ hash: string; unpacked_length: number; range: { start: number; end: number } }>;
  xorbs: Record<
    string,
    Array<{
      url: string;
      ranges: Array<{ chunks: { start: number; end: number }; bytes: { start: number; end: number } }>;
    }>
  >;
}

/** The bytes of one byte range per part of a (possibly multipart/byteranges) 206 answer. */
async function parts(response: Response): Promise<Uint8Array[]> {
  const type = response.headers.get("content-type") ?? "";
  const body = new Uint8Array(await response.arrayBuffer());
  const boundary = /boundary=(.+)$/.exec(type)?.[1];
  if (boundary === undefined) {
    return [body];
  }
  const text = Buffer.from(body).toString("latin1");
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => new Uint8Array(Buffer.from(part.slice(part.indexOf("\r\n\r\n") + 4, -2), "latin1")));
}

/** A download as the spec's download protocol describes it: reconstruction, one fetch per entry, terms in order. */
async function download(hub: FakeHub, token: string, fileId: string, range?: [number, number]): Promise<Uint8Array> {
  const response = await call(hub, "GET", `${CAS}/v2/reconstructions/${fileId}`, {
    token,
    ...(range ? { headers: { range: `bytes=${range[0]}-${range[1]}` } } : {}),
  });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as V2Answer;
  const chunks = new Map<string, Uint8Array>();
  for (const [xorb, entries] of Object.entries(answer.xorbs)) {
    for (const entry of entries) {
      const fetched = await call(hub, "GET", entry.url, {
        headers: { range: `bytes=${entry.ranges.map((r) => `${r.bytes.start}-${r.bytes.end}`).join(",")}` },
      });
      expect(fetched.status).toBe(206);
      const received = await parts(fetched);
      entry.ranges.forEach((r, i) => {
        const parsed = parseXorb(hasher, received[i] ?? new Uint8Array(), { keepData: true });
        parsed.chunks.forEach((chunk, k) =>
          chunks.set(`${xorb}:${r.chunks.start + k}`, chunk.data ?? new Uint8Array()),
        );
      });
    }
  }
  const out: Uint8Array[] = [];
  for (const term of answer.terms) {
    let length = 0;
    for (let i = term.range.start; i < term.range.end; i++) {
      const data = chunks.get(`${term.hash}:${i}`) ?? new Uint8Array();
      length += data.length;
      out.push(data);
    }
    expect(length).toBe(term.unpacked_length);
  }
  const start = answer.offset_into_first_range;
  const all = Buffer.concat(out);
  return new Uint8Array(all.subarray(start, range ? start + range[1] - range[0] + 1 : undefined));
}

describe("Xet CAS: xorb uploads", () => {
  it("stores a verified xorb once, whichever repo's token sends it again", async () => {
    const hub = freshHub();
    const [first] = upload.xorbs;
    const url = `${CAS}/v1/xorbs/default/${hashToHex(first?.hash ?? new Uint8Array(32))}`;
    const sent = await call(hub, "POST", url, { token: await xetToken(hub, "write"), body: first?.bytes });
    expect(await sent.json()).toEqual({ was_inserted: true });
    const again = await call(hub, "POST", url, { token: await xetToken(hub, "write", "alice/y"), body: first?.bytes });
    expect(await again.json()).toEqual({ was_inserted: false });
    expect([...(hub.xet?.store.xorbs.keys() ?? [])]).toEqual([hashToHex(first?.hash ?? new Uint8Array(32))]);
  });

  const xorb = (): { hash: string; bytes: Uint8Array } => {
    const [first] = upload.xorbs;
    return { hash: hashToHex(first?.hash ?? new Uint8Array(32)), bytes: first?.bytes ?? new Uint8Array() };
  };
  it.each([
    ["cut off in a chunk", () => ({ ...xorb(), bytes: xorb().bytes.subarray(0, xorb().bytes.length - 10) })],
    [
      "a changed byte of chunk data (its hash no longer matches)",
      () => {
        const bytes = xorb().bytes.slice();
        bytes[20] = (bytes[20] ?? 0) ^ 0xff;
        return { ...xorb(), bytes };
      },
    ],
    [
      "the hash of another xorb in the path",
      () => ({ ...xorb(), hash: hashToHex(upload.xorbs[1]?.hash ?? hexToHash("0".repeat(64))) }),
    ],
    [
      "a chunk header of version 1",
      () => {
        const bytes = xorb().bytes.slice();
        bytes[0] = 1;
        return { ...xorb(), bytes };
      },
    ],
    ["no chunk at all", () => ({ ...xorb(), bytes: new Uint8Array() })],
    ["an upper-case hash in the path", () => ({ ...xorb(), hash: xorb().hash.toUpperCase() })],
  ])("refuses %s with 400 and stores nothing", async (_, make) => {
    const dir = await testdir();
    const hub = freshHub({ storageDir: dir });
    const { hash, bytes } = make();
    const response = await call(hub, "POST", `${CAS}/v1/xorbs/default/${hash}`, {
      token: await xetToken(hub, "write"),
      body: bytes,
    });
    expect(response.status).toBe(400);
    expect(hub.xet?.store.xorbs.size).toBe(0);
    expect(await readdir(path.join(dir, "xet", "xorbs")).catch(() => [])).toEqual([]);
  });

  it("refuses a prefix other than default (400)", async () => {
    const hub = freshHub();
    const { hash, bytes } = xorb();
    const response = await call(hub, "POST", `${CAS}/v1/xorbs/other/${hash}`, {
      token: await xetToken(hub, "write"),
      body: bytes,
    });
    expect(response.status).toBe(400);
    expect(hub.xet?.store.xorbs.size).toBe(0);
  });
});

describe("Xet CAS: tokens", () => {
  it("asks a token of every CAS call: none 401, a Hub token 401, a read token 403 for uploads", async () => {
    const hub = freshHub();
    const { hash, bytes } = {
      hash: hashToHex(upload.xorbs[0]?.hash ?? new Uint8Array(32)),
      bytes: upload.xorbs[0]?.bytes,
    };
    const url = `${CAS}/v1/xorbs/default/${hash}`;
    expect((await call(hub, "POST", url, { body: bytes })).status).toBe(401);
    expect((await call(hub, "POST", url, { token: DEFAULT_TOKEN, body: bytes })).status).toBe(401);
    const read = await xetToken(hub, "read");
    expect((await call(hub, "POST", url, { token: read, body: bytes })).status).toBe(403);
    expect((await call(hub, "POST", `${CAS}/v1/shards`, { token: read, body: upload.shardBytes })).status).toBe(403);
    expect(hub.xet?.store.xorbs.size).toBe(0);
    expect((await call(hub, "GET", `${CAS}/v2/reconstructions/${upload.fileHash}`)).status).toBe(401);
  });

  it("honours a token's expiry: refused once the clock passes it, a fresh one works", async () => {
    let now = Date.UTC(2026, 0, 1);
    const hub = freshHub({ xet: { tokenTtlSeconds: 60, now: () => now } });
    const answer = (await (
      await call(hub, "GET", "/api/models/alice/x/xet-write-token/main", { token: DEFAULT_TOKEN })
    ).json()) as { accessToken: string; exp: number };
    expect(answer.exp).toBe(now / 1000 + 60);
    const url = `${CAS}/v1/xorbs/default/${hashToHex(upload.xorbs[0]?.hash ?? new Uint8Array(32))}`;
    now += 61_000;
    expect((await call(hub, "POST", url, { token: answer.accessToken, body: upload.xorbs[0]?.bytes })).status).toBe(
      401,
    );
    const fresh = await xetToken(hub, "write");
    expect((await call(hub, "POST", url, { token: fresh, body: upload.xorbs[0]?.bytes })).status).toBe(200);
  });
});

describe("Xet CAS: shard uploads", () => {
  it("registers the file of a true shard once its xorbs are in, by Xet hash and by SHA-256", async () => {
    const hub = freshHub();
    const token = await xetToken(hub, "write");
    await sendXorbs(hub, token);
    const response = await call(hub, "POST", `${CAS}/v1/shards`, { token, body: upload.shardBytes });
    expect(await response.json()).toEqual({ result: 1 });
    expect(hub.xet?.fileBySha256(upload.sha256)).toMatchObject({ hash: upload.fileHash, size: content.length });
    const again = await call(hub, "POST", `${CAS}/v1/shards`, { token, body: upload.shardBytes });
    expect(await again.json()).toEqual({ result: 0 });
  });

  it("answers /v2/shards with NDJSON progress ending in a result", async () => {
    const hub = freshHub();
    const token = await xetToken(hub, "write");
    await sendXorbs(hub, token);
    const response = await call(hub, "POST", `${CAS}/v2/shards`, { token, body: upload.shardBytes });
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const events = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string });
    expect(events.at(-1)).toEqual({ type: "result", result: 1 });
    expect(events[0]?.type).toBe("validating");
  });

  it("refuses a shard that references a xorb never uploaded (400), registering nothing", async () => {
    const hub = freshHub();
    const token = await xetToken(hub, "write");
    const [first, ...others] = upload.xorbs;
    for (const xorb of others) {
      await call(hub, "POST", `${CAS}/v1/xorbs/default/${hashToHex(xorb.hash)}`, { token, body: xorb.bytes });
    }
    const response = await call(hub, "POST", `${CAS}/v1/shards`, { token, body: upload.shardBytes });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(hashToHex(first?.hash ?? new Uint8Array(32)));
    expect(hub.xet?.fileBySha256(upload.sha256)).toBeUndefined();
    expect((await commitFile(hub, "alice/x", "f.bin")).status).toBe(422);
  });

  const tampered =
    (change: (shard: { files: Shard["files"][number][]; xorbs: Shard["xorbs"][number][] }) => void) => () => {
      const copy = structuredClone({ files: [...upload.shard.files], xorbs: [...upload.shard.xorbs] });
      change(copy);
      return encodeShard(copy);
    };
  it.each([
    ["bytes that are no shard", () => new TextEncoder().encode("not a shard at all, just text")],
    [
      "a wrong verification hash",
      tampered((shard) => {
        const term = shard.files[0]?.terms[0];
        term?.verificationHash?.fill(7);
      }),
    ],
    ["a wrong file hash", tampered((shard) => shard.files[0]?.hash.fill(3))],
    [
      "a SHA-256 that is not the file's",
      tampered((shard) => Object.assign(shard.files[0] ?? {}, { sha256: "ab".repeat(32) })),
    ],
    [
      "a term past the end of its xorb",
      tampered((shard) => {
        const term = shard.files[0]?.terms[0];
        Object.assign(term ?? {}, { chunkEnd: (term?.chunkEnd ?? 0) + 1 });
      }),
    ],
    [
      "a CAS entry listing other chunks than the stored xorb",
      tampered((shard) => {
        const xorb = shard.xorbs[0];
        Object.assign(xorb ?? {}, { chunks: xorb?.chunks.slice(1), unpackedBytes: 0 });
      }),
    ],
  ])("refuses %s (400), registering nothing", async (_, body) => {
    const hub = freshHub();
    const token = await xetToken(hub, "write");
    await sendXorbs(hub, token);
    const response = await call(hub, "POST", `${CAS}/v1/shards`, { token, body: body() });
    expect(response.status).toBe(400);
    expect(hub.xet?.catalog.files.size).toBe(0);
    expect(hub.xet?.fileBySha256(upload.sha256)).toBeUndefined();
  });

  it("accepts a shard with a footer, as @huggingface/hub sends it", async () => {
    const hub = freshHub();
    const token = await xetToken(hub, "write");
    await sendXorbs(hub, token);
    const withFooter = encodeShard({
      ...upload.shard,
      footer: { hmacKey: new Uint8Array(32), createdAt: 1, expiresAt: 0 },
    });
    const response = await call(hub, "POST", `${CAS}/v1/shards`, { token, body: withFooter });
    expect(response.status).toBe(200);
    expect(hub.xet?.fileBySha256(upload.sha256)?.hash).toBe(upload.fileHash);
  });
});

describe("Xet CAS: global dedup", () => {
  it("answers a known chunk with its xorbs, chunk hashes keyed with the footer's HMAC key; 404 for others", async () => {
    const hub = freshHub();
    await sendAll(hub, await xetToken(hub, "write"));
    const read = await xetToken(hub, "read", "alice/y");
    const chunk = upload.xorbs[1]?.chunks[1];
    const response = await call(
      hub,
      "GET",
      `${CAS}/v1/chunks/default-merkledb/${hashToHex(chunk?.hash ?? new Uint8Array(32))}`,
      {
        token: read,
      },
    );
    expect(response.status).toBe(200);
    const answer = decodeShard(new Uint8Array(await response.arrayBuffer()));
    expect(answer.files).toEqual([]);
    const key = answer.footer?.hmacKey ?? new Uint8Array(32);
    expect(key.some((byte) => byte !== 0)).toBe(true);
    expect(answer.footer?.expiresAt).toBeGreaterThan(Date.now() / 1000);
    const keyed = hasher.keyedBy(key);
    const holder = answer.xorbs.find(
      (xorb) => hashToHex(xorb.hash) === hashToHex(upload.xorbs[1]?.hash ?? new Uint8Array(32)),
    );
    expect(holder?.chunks.map((c) => hashToHex(c.hash))).toEqual(
      upload.xorbs[1]?.chunks.map((c) => hashToHex(keyed(c.hash))),
    );
    // The raw hashes are not in the answer: only a client holding the chunk can find it.
    expect(
      answer.xorbs
        .flatMap((xorb) => xorb.chunks)
        .some((c) => hashToHex(c.hash) === hashToHex(chunk?.hash ?? new Uint8Array(32))),
    ).toBe(false);
    // The other xorbs of the file come along, so one query dedups the whole file.
    expect(answer.xorbs.map((xorb) => hashToHex(xorb.hash)).sort()).toEqual(
      upload.xorbs.map((x) => hashToHex(x.hash)).sort(),
    );

    expect(
      (await call(hub, "GET", `${CAS}/v1/chunks/default-merkledb/${"0".repeat(64)}`, { token: read })).status,
    ).toBe(404);
    expect((await call(hub, "GET", `${CAS}/v1/chunks/default-merkledb/xyz`, { token: read })).status).toBe(400);
  });
});

describe("Xet CAS: reconstruction and byte-range fetches", () => {
  it("rebuilds the whole file and any byte range of it through the v2 answer's signed URLs", async () => {
    const hub = freshHub();
    await sendAll(hub, await xetToken(hub, "write"));
    expect((await commitFile(hub, "alice/x", "f.bin")).status).toBe(200);
    const read = await xetToken(hub, "read");
    expect(Buffer.from(await download(hub, read, upload.fileHash)).equals(Buffer.from(content))).toBe(true);
    const size = content.length;
    for (const [start, end] of [
      [0, 0],
      [1, 70_000],
      [65_000, 400_000],
      [size - 10, size - 1],
      [123_456, size + 5000],
    ] as Array<[number, number]>) {
      const got = await download(hub, read, upload.fileHash, [start, end]);
      expect(Buffer.from(got).equals(Buffer.from(content.subarray(start, end + 1))), `bytes ${start}-${end}`).toBe(
        true,
      );
    }
  });

  it("answers HEAD of a stored xorb with its length and of a readable file with its size, 404 otherwise", async () => {
    const hub = freshHub();
    await sendAll(hub, await xetToken(hub, "write"));
    const read = await xetToken(hub, "read");
    const [first] = upload.xorbs;
    const xorb = await call(hub, "HEAD", `${CAS}/v1/xorbs/default/${hashToHex(first?.hash ?? new Uint8Array(32))}`, {
      token: read,
    });
    expect([xorb.status, xorb.headers.get("content-length")]).toEqual([200, String(first?.bytes.length)]);
    const file = await call(hub, "HEAD", `${CAS}/v1/files/${upload.fileHash}`, { token: read });
    expect([file.status, file.headers.get("content-length")]).toEqual([200, String(content.length)]);
    expect((await call(hub, "HEAD", `${CAS}/v1/xorbs/default/${"2".repeat(64)}`, { token: read })).status).toBe(404);
    const other = await xetToken(hub, "read", "alice/y");
    expect((await call(hub, "HEAD", `${CAS}/v1/files/${upload.fileHash}`, { token: other })).status).toBe(404);
  });

  it("answers a range past the end 416, an unknown or malformed file id 404 and 400, v1 with one URL per range", async () => {
    const hub = freshHub();
    await sendAll(hub, await xetToken(hub, "write"));
    await commitFile(hub, "alice/x", "f.bin");
    const read = await xetToken(hub, "read");
    const url = `${CAS}/v2/reconstructions/${upload.fileHash}`;
    expect((await call(hub, "GET", url, { token: read, headers: { range: `bytes=${content.length}-` } })).status).toBe(
      416,
    );
    expect((await call(hub, "GET", `${CAS}/v2/reconstructions/${"1".repeat(64)}`, { token: read })).status).toBe(404);
    expect((await call(hub, "GET", `${CAS}/v2/reconstructions/nothex`, { token: read })).status).toBe(400);
    const v1 = (await (
      await call(hub, "GET", `${CAS}/v1/reconstructions/${upload.fileHash}`, { token: read })
    ).json()) as {
      fetch_info: Record<string, Array<{ url: string; url_range: { start: number; end: number } }>>;
    };
    expect(Object.keys(v1.fetch_info).sort()).toEqual(upload.xorbs.map((x) => hashToHex(x.hash)).sort());
  });

  it("lets a repo's token read only the files that repo holds or uploaded", async () => {
    const hub = freshHub();
    await sendAll(hub, await xetToken(hub, "write"));
    const other = await xetToken(hub, "read", "alice/y");
    expect((await call(hub, "GET", `${CAS}/v2/reconstructions/${upload.fileHash}`, { token: other })).status).toBe(404);
    expect((await commitFile(hub, "alice/y", "copy.bin")).status).toBe(200);
    expect((await call(hub, "GET", `${CAS}/v2/reconstructions/${upload.fileHash}`, { token: other })).status).toBe(200);
  });

  it("serves several ranges as multipart/byteranges, and refuses a tampered, widened or expired URL with 403", async () => {
    let now = Date.UTC(2026, 0, 1);
    const hub = freshHub({ xet: { tokenTtlSeconds: 600, now: () => now } });
    await sendAll(hub, await xetToken(hub, "write"));
    const read = await xetToken(hub, "read");
    const answer = (await (
      await call(hub, "GET", `${CAS}/v2/reconstructions/${upload.fileHash}`, { token: read })
    ).json()) as V2Answer;
    const [xorb, entries] = Object.entries(answer.xorbs)[0] ?? ["", []];
    const [entry] = entries;
    const stored = upload.xorbs.find((x) => hashToHex(x.hash) === xorb);
    const [a, b] = stored?.chunks ?? [];
    const two = `bytes=${a?.offset}-${(a?.offset ?? 0) + (a?.serializedLength ?? 0) - 1},${b?.offset}-${(b?.offset ?? 0) + (b?.serializedLength ?? 0) - 1}`;
    const multi = await call(hub, "GET", entry?.url ?? "", { headers: { range: two } });
    expect(multi.status).toBe(206);
    expect(multi.headers.get("content-type")).toMatch(/^multipart\/byteranges; boundary=/);
    const [first, second] = await parts(multi);
    expect(parseXorb(hasher, first ?? new Uint8Array(), { keepData: true }).chunks).toHaveLength(1);
    expect(hashToHex(parseXorb(hasher, second ?? new Uint8Array()).chunks[0]?.hash ?? new Uint8Array(32))).toBe(
      hashToHex(b?.hash ?? new Uint8Array(32)),
    );

    const tamperedUrl = (entry?.url ?? "").replace(/Signature=[^&]+/, "Signature=AAAA");
    expect((await call(hub, "GET", tamperedUrl, { headers: { range: two } })).status).toBe(403);
    const widened = (entry?.url ?? "").replace(
      /(X-Xet-Signed-Range=bytes%3D\d+-)(\d+)/,
      (_, head: string, end: string) => `${head}${Number(end) + 1}`,
    );
    expect(widened).not.toBe(entry?.url);
    expect((await call(hub, "GET", widened)).status).toBe(403);
    const total = stored?.bytes.length ?? 0;
    expect((await call(hub, "GET", entry?.url ?? "", { headers: { range: `bytes=0-${total + 10}` } })).status).toBe(
      403,
    );
    // A URL signed for the first chunk only does not serve the second.
    const narrow = (await (
      await call(hub, "GET", `${CAS}/v2/reconstructions/${upload.fileHash}`, {
        token: read,
        headers: { range: "bytes=0-10" },
      })
    ).json()) as V2Answer;
    const narrowUrl = Object.values(narrow.xorbs)[0]?.[0]?.url ?? "";
    const secondChunk = `bytes=${b?.offset}-${(b?.offset ?? 0) + (b?.serializedLength ?? 0) - 1}`;
    expect((await call(hub, "GET", narrowUrl, { headers: { range: secondChunk } })).status).toBe(403);
    now += 601_000;
    expect((await call(hub, "GET", entry?.url ?? "", { headers: { range: two } })).status).toBe(403);
  });
});

describe("Xet CAS: storage", () => {
  it("keeps xorbs and files in --data across a restart", async () => {
    const dataDir = await testdir();
    const first = freshHub({ dataDir });
    await sendAll(first, await xetToken(first, "write"));
    expect((await commitFile(first, "alice/x", "f.bin")).status).toBe(200);
    expect((await readdir(path.join(dataDir, "xet", "xorbs"))).sort()).toEqual(
      upload.xorbs.map((x) => hashToHex(x.hash)).sort(),
    );

    const second = await FakeHub.open({ dataDir });
    expect(second.xet?.fileBySha256(upload.sha256)?.hash).toBe(upload.fileHash);
    const bytes = await second.fileContent("alice/x", "f.bin");
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(upload.sha256);
    expect(
      Buffer.from(await download(second, await xetToken(second, "read"), upload.fileHash, [5, 300_000])).equals(
        Buffer.from(content.subarray(5, 300_001)),
      ),
    ).toBe(true);
  });

  it("drops an LFS object's bytes once Xet storage holds the same content", async () => {
    const hub = freshHub();
    hub.lfs.set(upload.sha256, { size: content.length, content: Buffer.from(content), file: undefined });
    await sendAll(hub, await xetToken(hub, "write"));
    expect(hub.lfs.get(upload.sha256)).toEqual({ size: content.length, content: undefined, file: undefined });
    expect((await commitFile(hub, "alice/x", "f.bin")).status).toBe(200);
    expect((await hub.fileContent("alice/x", "f.bin")).equals(Buffer.from(content))).toBe(true);
  });

  it("builds xorbs of its own from an LFS object, reusing chunks it holds, when a Xet download needs them", async () => {
    const hub = freshHub();
    await sendAll(hub, await xetToken(hub, "write"));
    const xorbsBefore = hub.xet?.store.xorbs.size ?? 0;
    const lfsBytes = new Uint8Array([...content.subarray(0, 330_000), ...seededBytes(9, 50_000)]);
    const oid = createHash("sha256").update(lfsBytes).digest("hex");
    hub.lfs.set(oid, { size: lfsBytes.length, content: Buffer.from(lfsBytes), file: undefined });
    const file = await hub.xetFileOf({ oid, size: lfsBytes.length });
    expect(file?.sha256).toBe(oid);
    // The shared first 330 kB come from the uploaded xorbs; one new xorb holds the rest.
    expect(hub.xet?.store.xorbs.size).toBe(xorbsBefore + 1);
    expect(file?.terms.some((term) => upload.xorbs.some((x) => hashToHex(x.hash) === term.xorb))).toBe(true);
    expect(hub.lfs.get(oid)?.content).toBeUndefined();
    const pieces: Uint8Array[] = [];
    for await (const piece of hub.xet?.read(file ?? { hash: "", size: 0, sha256: "", terms: [] }) ?? []) {
      pieces.push(piece);
    }
    expect(Buffer.concat(pieces).equals(Buffer.from(lfsBytes))).toBe(true);
  });
});
