// The Xet format modules against the reference client hf_xet: the committed captures in
// tests/fixtures/xet always, and a fresh capture of new random inputs when a python with hf_xet is
// found ($XET_REFERENCE_PYTHON or .venv/bin/python).
import { createHash, randomInt } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildXorb } from "../../src/xet/build-xorb.js";
import { createXetChunker } from "../../src/xet/create-xet-chunker.js";
import { decodeShard } from "../../src/xet/decode-shard.js";
import { encodeShard } from "../../src/xet/encode-shard.js";
import { fileHash } from "../../src/xet/file-hash.js";
import { fitsInXorb } from "../../src/xet/fits-in-xorb.js";
import { hashToHex } from "../../src/xet/hash-to-hex.js";
import { hexToHash } from "../../src/xet/hex-to-hash.js";
import { createXetHasher, type XetHasher } from "../../src/xet/create-xet-hasher.js";
import { parseXorb, type ParsedXorb } from "../../src/xet/parse-xorb.js";
import type { Shard } from "../../src/xet/shard-model.js";
import { verifyShard } from "../../src/xet/verify-shard.js";
import type { XetChunkRef } from "../../src/xet/xet-chunk-ref.js";
import { xorbHash } from "../../src/xet/xorb-hash.js";
import { captureHfXet, downloadWithHfXet, referencePython } from "../helpers/capture-hf-xet.js";
import { testdir } from "../helpers/testdir.js";
import { seededBytes, seededPieces, XET_LARGE_INPUTS, xetGoldenInputs } from "../helpers/xet-inputs.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "xet");

interface Expected {
  files: { name: string; hash: string; size: number; sha256: string }[];
  hashFiles: string[];
  xorbs: string[];
  multiXorb: { seed: number; size: number; hash: string; xorbs: string[] };
}

let hasher: XetHasher;
beforeAll(() => {
  hasher = createXetHasher();
});

/** Our chunks of a file, with their hashes. */
function ourChunks(bytes: Uint8Array): (XetChunkRef & { data: Uint8Array })[] {
  const chunker = createXetChunker();
  return [...chunker.push(bytes), ...chunker.finish()].map((data) => ({
    data,
    hash: hasher.chunkHash(data),
    size: data.length,
  }));
}

/** What hf_xet sent, checked with our decoders: every xorb verified against its name, the shard verified. */
function checkUpload(
  xorbBodies: Map<string, Uint8Array>,
  shardBytes: Uint8Array,
): { shard: Shard; xorbs: Map<string, ParsedXorb> } {
  const xorbs = new Map<string, ParsedXorb>();
  for (const [name, body] of xorbBodies) {
    xorbs.set(name, parseXorb(hasher, body, { expectedHash: hexToHash(name), keepData: true }));
  }
  const shard = decodeShard(shardBytes);
  expect(shard.footer).toBeUndefined();
  verifyShard(hasher, shard, (hash) => xorbs.get(hashToHex(hash))?.chunks);
  expect(Buffer.from(encodeShard(shard)).equals(Buffer.from(shardBytes))).toBe(true);
  return { shard, xorbs };
}

/**
 * Compares hf_xet's upload of `inputs` with ours: file hashes, each file's chunk sizes (read from its
 * terms in hf_xet's xorbs), sha256s, and the xorbs we build from our own chunks in hf_xet's order:
 * the same hashes, the same compression scheme per chunk, and accepted by our parser.
 */
function compareWithHfXet(
  inputs: { name: string; bytes: Uint8Array }[],
  fileHashes: string[],
  upload: { shard: Shard; xorbs: Map<string, ParsedXorb> },
): void {
  const chunksByFile = new Map<string, number[]>();
  for (const file of upload.shard.files) {
    const sizes = file.terms.flatMap((term) =>
      (upload.xorbs.get(hashToHex(term.xorbHash))?.chunks ?? [])
        .slice(term.chunkStart, term.chunkEnd)
        .map((chunk) => chunk.size),
    );
    chunksByFile.set(hashToHex(file.hash), sizes);
  }
  inputs.forEach(({ name, bytes }, i) => {
    const chunks = ourChunks(bytes);
    expect(hashToHex(fileHash(hasher, chunks)), name).toBe(fileHashes[i]);
    expect(
      chunks.map((chunk) => chunk.size),
      name,
    ).toEqual(chunksByFile.get(fileHashes[i] ?? "") ?? []);
    const listed = upload.shard.files.find((file) => hashToHex(file.hash) === fileHashes[i]);
    if (bytes.length > 0) {
      expect(listed?.sha256, name).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
  });

  // Our chunks, by hash: every chunk of hf_xet's xorbs must be one of them.
  const ours = new Map(inputs.flatMap(({ bytes }) => ourChunks(bytes)).map((chunk) => [hashToHex(chunk.hash), chunk]));
  for (const [name, theirs] of upload.xorbs) {
    // hf_xet chooses a compression scheme afresh where a file's first term starts.
    const fileStarts = upload.shard.files
      .map((file) => file.terms[0])
      .filter((term) => term !== undefined && hashToHex(term.xorbHash) === name)
      .map((term) => term?.chunkStart ?? 0);
    const data = theirs.chunks.map((chunk) => ours.get(hashToHex(chunk.hash)));
    expect(data.every((chunk) => chunk !== undefined)).toBe(true);
    const built = buildXorb(
      hasher,
      data.map((chunk) => ({ data: chunk?.data ?? new Uint8Array(0) })),
      { fileStarts },
    );
    expect(hashToHex(built.hash)).toBe(name);
    expect(built.chunks.map((chunk) => chunk.compression)).toEqual(theirs.chunks.map((chunk) => chunk.compression));
    expect(hashToHex(parseXorb(hasher, built.bytes, { expectedHash: built.hash }).hash)).toBe(name);
  }
}

describe("the Xet formats against hf_xet's committed captures (tests/fixtures/xet)", () => {
  let expected: Expected;
  let upload: { shard: Shard; xorbs: Map<string, ParsedXorb> };
  const inputs = xetGoldenInputs();

  beforeAll(async () => {
    expected = JSON.parse(await readFile(path.join(FIXTURES, "expected.json"), "utf8")) as Expected;
    const bodies = new Map<string, Uint8Array>();
    for (const name of expected.xorbs) {
      bodies.set(name, new Uint8Array(await readFile(path.join(FIXTURES, "xorbs", `${name}.xorb`))));
    }
    upload = checkUpload(bodies, new Uint8Array(await readFile(path.join(FIXTURES, "upload.shard"))));
  });

  it("covers the cases it is meant to (an empty file, under and at 8 KiB, a file ending on a boundary, many chunks, all three schemes)", () => {
    expect(inputs.map(({ bytes }) => bytes.length)).toEqual(expected.files.map((file) => file.size));
    expect(expected.hashFiles).toEqual(expected.files.map((file) => file.hash));
    const schemes = new Set(
      [...upload.xorbs.values()].flatMap((xorb) => xorb.chunks.map((chunk) => chunk.compression)),
    );
    expect(schemes).toEqual(new Set([0, 1, 2]));
  });

  it("gives hf_xet's file hashes, chunk boundaries, sha256s and xorb hashes", () => {
    compareWithHfXet(
      inputs,
      expected.files.map((file) => file.hash),
      upload,
    );
  });

  it("writes the sha256 of an empty file as zeros, as hf_xet 1.6 does (a quirk a server must accept)", () => {
    expect(upload.shard.files.find((file) => file.terms.length === 0)?.sha256).toBe("0".repeat(64));
  });

  it("cuts a 70 MiB file into hf_xet's two xorbs and gives its file hash", () => {
    const { seed, size } = XET_LARGE_INPUTS.multiXorb;
    const chunker = createXetChunker();
    const chunks: XetChunkRef[] = [];
    for (const piece of seededPieces(seed, size, 8 * 1024 * 1024)) {
      for (const data of chunker.push(piece)) {
        chunks.push({ hash: hasher.chunkHash(data), size: data.length });
      }
    }
    for (const data of chunker.finish()) {
      chunks.push({ hash: hasher.chunkHash(data), size: data.length });
    }
    const xorbs: XetChunkRef[][] = [[]];
    let bytes = 0;
    for (const chunk of chunks) {
      const open = xorbs[xorbs.length - 1] as XetChunkRef[];
      if (!fitsInXorb(open.length, bytes, chunk.size)) {
        xorbs.push([chunk]);
        bytes = chunk.size;
      } else {
        open.push(chunk);
        bytes += chunk.size;
      }
    }
    expect(hashToHex(fileHash(hasher, chunks))).toBe(expected.multiXorb.hash);
    expect(xorbs.map((xorb) => hashToHex(xorbHash(hasher, xorb))).sort()).toEqual([...expected.multiXorb.xorbs].sort());
  });
});

const python = referencePython();

describe.skipIf(python === undefined)("the Xet formats against hf_xet itself, on new random inputs", () => {
  it("agrees with hf_xet on everything it uploads", { timeout: 180_000 }, async () => {
    const seed = randomInt(1, 2 ** 31);
    const floats = new Float32Array(seededBytes(seed, 256 * 1024).buffer.slice(0)).map((_, i) =>
      Math.sin(i * 0.001 + seed),
    );
    const inputs = [
      ["empty.bin", new Uint8Array(0)],
      ["one.bin", seededBytes(seed + 1, 1)],
      ...[8191, 8192, 8193, 131072, 131073, 700_000].map(
        (size, i) => [`random-${size}.bin`, seededBytes(seed + 2 + i, size)] as const,
      ),
      ["zeros.bin", new Uint8Array(400_000)],
      ["floats.f32", new Uint8Array(floats.buffer)],
      [
        "text.txt",
        new TextEncoder().encode(Array.from({ length: 40_000 }, (_, i) => `line ${(i * seed) % 977}\n`).join("")),
      ],
    ].map(([name, bytes]) => ({ name: name as string, bytes: bytes as Uint8Array }));
    const dir = await testdir();
    const files = inputs.map(({ name }) => path.join(dir, name));
    await Promise.all(inputs.map(({ bytes }, i) => writeFile(files[i] ?? "", bytes)));

    const capture = await captureHfXet(python ?? "", files);
    expect(capture.shards, `seed ${seed}`).toHaveLength(1);
    expect(capture.uploaded.map((file) => file.hash)).toEqual(capture.hashed.map((file) => file.hash));
    const upload = checkUpload(capture.xorbs, capture.shards[0] ?? new Uint8Array(0));
    compareWithHfXet(
      inputs,
      capture.uploaded.map((file) => file.hash),
      upload,
    );
  });

  it(
    "downloads files from xorbs we built (None, LZ4 and byte-grouped chunks), byte for byte",
    { timeout: 180_000 },
    async () => {
      const seed = randomInt(1, 2 ** 31);
      const inputs = [
        ...xetGoldenInputs().filter(({ name }) => ["words.txt", "floats.f32", "zeros.bin"].includes(name)),
        { name: "random.bin", bytes: seededBytes(seed, 400_000) },
      ];
      const chunked = inputs.map(({ bytes }) => ourChunks(bytes));
      const fileStarts = chunked.map((_, i) => chunked.slice(0, i).reduce((sum, chunks) => sum + chunks.length, 0));
      const xorb = buildXorb(hasher, chunked.flat(), { fileStarts });
      expect(new Set(xorb.chunks.map((chunk) => chunk.compression))).toEqual(new Set([0, 1, 2]));
      const xorbName = hashToHex(xorb.hash);
      const files = inputs.map(({ bytes }, i) => ({
        hash: hashToHex(fileHash(hasher, chunked[i] ?? [])),
        size: bytes.length,
        start: fileStarts[i] ?? 0,
        end: (fileStarts[i] ?? 0) + (chunked[i]?.length ?? 0),
      }));
      const dir = await testdir();
      const requests = await downloadWithHfXet(
        python ?? "",
        files.map(({ hash, size }, i) => ({ hash, size, destination: path.join(dir, inputs[i]?.name ?? "") })),
        (method, url, headers) => {
          const file = files.find(({ hash }) => url === `/v2/reconstructions/${hash}`);
          if (method === "GET" && file !== undefined) {
            // hf_xet asks in file byte ranges (256 MB at a time); a range past the end is 416 (CAS API).
            const asked = /^bytes=(\d+)-/.exec(headers.range ?? "");
            if (asked !== null && Number(asked[1]) >= file.size) {
              return { status: 416 };
            }
            const first = xorb.chunks[file.start];
            const last = xorb.chunks[file.end - 1];
            const bytes = { start: first?.offset ?? 0, end: (last?.offset ?? 0) + (last?.serializedLength ?? 0) - 1 };
            const range = { start: file.start, end: file.end };
            const body = {
              offset_into_first_range: 0,
              terms: [{ hash: xorbName, unpacked_length: file.size, range }],
              xorbs: { [xorbName]: [{ url: `{base}/xorbs/${xorbName}`, ranges: [{ chunks: range, bytes }] }] },
            };
            return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
          }
          const wanted = /^bytes=(\d+)-(\d+)$/.exec(headers.range ?? "");
          if (method === "GET" && url === `/xorbs/${xorbName}` && wanted !== null) {
            const [start, end] = [Number(wanted[1]), Number(wanted[2])];
            return { status: 206, body: xorb.bytes.subarray(start, end + 1) };
          }
          return undefined;
        },
      );
      for (const { name, bytes } of inputs) {
        expect((await readFile(path.join(dir, name))).equals(Buffer.from(bytes)), name).toBe(true);
      }
      expect(requests.filter((request) => request.startsWith("GET /xorbs/")).length).toBeGreaterThan(0);
    },
  );

  it(
    "dedups against a global-dedup answer we encode: the file's chunks are not sent again",
    { timeout: 180_000 },
    async () => {
      const bytes = seededBytes(randomInt(1, 2 ** 31), 600_000);
      const dir = await testdir({ "model.bin": bytes });
      const file = path.join(dir, "model.bin");
      const first = await captureHfXet(python ?? "", [file]);
      const [stored] = [...checkUpload(first.xorbs, first.shards[0] ?? new Uint8Array(0)).xorbs];
      const [storedName, storedXorb] = stored ?? ["", undefined];
      expect(storedXorb?.chunks.length).toBeGreaterThan(3);

      // What a CAS answers: the xorb that holds the queried chunk, its chunk hashes keyed with a fresh key.
      const key = seededBytes(randomInt(1, 2 ** 31), 32);
      const keyed = hasher.keyedBy(key);
      const now = Math.floor(Date.now() / 1000);
      const answer = encodeShard({
        files: [],
        xorbs: [
          {
            hash: hexToHash(storedName),
            unpackedBytes: storedXorb?.unpackedBytes ?? 0,
            serializedBytes: first.xorbs.get(storedName)?.length ?? 0,
            chunks: (storedXorb?.chunks ?? []).map(({ hash, unpackedStart, size }) => ({
              hash: keyed(hash),
              unpackedStart,
              size,
            })),
          },
        ],
        footer: { hmacKey: key, createdAt: now, expiresAt: now + 3600 },
      });
      const known = new Set((storedXorb?.chunks ?? []).map((chunk) => hashToHex(chunk.hash)));
      const queried: string[] = [];
      const second = await captureHfXet(python ?? "", [file], {
        dedupAnswer: (hash) => {
          queried.push(hash);
          return known.has(hash) ? answer : undefined;
        },
      });
      expect(queried.length).toBeGreaterThan(0);
      expect(second.xorbs.size).toBe(0);
      const shard = decodeShard(second.shards[0] ?? new Uint8Array(0));
      expect(shard.xorbs).toEqual([]);
      expect(shard.files.flatMap((entry) => entry.terms.map((term) => hashToHex(term.xorbHash)))).toEqual([storedName]);
      verifyShard(hasher, shard, (hash) => (hashToHex(hash) === storedName ? storedXorb?.chunks : undefined));
    },
  );
});
