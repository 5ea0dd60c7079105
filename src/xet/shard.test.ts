import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { seededBytes } from "../../tests/helpers/xet-inputs.js";
import { buildXorb, type BuiltXorb } from "./build-xorb.js";
import { createXetChunker } from "./create-xet-chunker.js";
import { decodeShard } from "./decode-shard.js";
import { encodeShard } from "./encode-shard.js";
import { fileHash } from "./file-hash.js";
import { hashToHex } from "./hash-to-hex.js";
import { isGlobalDedupEligible } from "./is-global-dedup-eligible.js";
import { createXetHasher, type XetHasher } from "./create-xet-hasher.js";
import type { Shard, ShardFile, ShardXorb } from "./shard-model.js";
import { verificationRangeHash } from "./verification-range-hash.js";
import { verifyShard } from "./verify-shard.js";
import { XetFormatError } from "./xet-format-error.js";

let hasher: XetHasher;
let xorb: BuiltXorb;
let shard: Shard;
const fileA = seededBytes(51, 200_000);
const fileB = seededBytes(52, 30_000);

beforeAll(() => {
  hasher = createXetHasher();
  const chunk = (data: Uint8Array): Uint8Array[] => {
    const chunker = createXetChunker();
    return [...chunker.push(data), ...chunker.finish()];
  };
  const chunksA = chunk(fileA);
  const chunksB = chunk(fileB);
  xorb = buildXorb(
    hasher,
    [...chunksA, ...chunksB].map((data) => ({ data })),
  );
  const fileOf = (bytes: Uint8Array, start: number, end: number): ShardFile => {
    const range = xorb.chunks.slice(start, end);
    return {
      hash: fileHash(hasher, range),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      terms: [
        {
          xorbHash: xorb.hash,
          chunkStart: start,
          chunkEnd: end,
          unpackedBytes: bytes.length,
          verificationHash: verificationRangeHash(
            hasher,
            range.map((entry) => entry.hash),
          ),
        },
      ],
    };
  };
  const listed: ShardXorb = {
    hash: xorb.hash,
    unpackedBytes: xorb.unpackedBytes,
    serializedBytes: xorb.bytes.length,
    chunks: xorb.chunks.map(({ hash, unpackedStart, size }) => ({ hash, unpackedStart, size })),
  };
  shard = {
    files: [fileOf(fileA, 0, chunksA.length), fileOf(fileB, chunksA.length, chunksA.length + chunksB.length)],
    xorbs: [listed],
  };
});

const verify = (value: Shard, stored: Map<string, BuiltXorb> = new Map()): void =>
  verifyShard(hasher, value, (hash) => stored.get(hashToHex(hash))?.chunks);

describe("encodeShard / decodeShard", () => {
  it("round-trips an upload shard: no footer, 48-byte records, bookends", () => {
    const bytes = encodeShard(shard);
    const files = 2 * (1 + 1 + 1 + 1);
    expect(bytes.length).toBe(48 * (1 + files + 1 + 1 + xorb.chunks.length + 1));
    expect(new TextDecoder().decode(bytes.subarray(0, 14))).toBe("HFRepoMetaData");
    const decoded = decodeShard(bytes);
    expect(decoded.footer).toBeUndefined();
    expect(encodeShard(decoded)).toEqual(bytes);
    expect(decoded.files.map((file) => file.sha256)).toEqual(shard.files.map((file) => file.sha256));
    verify(decoded);
  });

  it("round-trips a global-dedup answer: no files, keyed chunk hashes, a footer with offsets and expiry", () => {
    const key = seededBytes(53, 32);
    const keyed = hasher.keyedBy(key);
    const answer: Shard = {
      files: [],
      xorbs: shard.xorbs.map((entry) => ({
        ...entry,
        chunks: entry.chunks.map((chunk, i) => ({ ...chunk, hash: keyed(chunk.hash), globalDedup: i === 0 })),
      })),
      footer: { hmacKey: key, createdAt: 1_700_000_000, expiresAt: 1_700_604_800 },
    };
    const bytes = encodeShard(answer);
    expect(bytes.length).toBe(48 * (1 + 1 + 1 + xorb.chunks.length + 1) + 200);
    const view = new DataView(bytes.buffer);
    expect(view.getBigUint64(40, true)).toBe(200n);
    expect(view.getBigUint64(bytes.length - 200 + 16, true)).toBe(96n); // CAS section right after the file bookend
    const decoded = decodeShard(bytes);
    expect(decoded.footer).toEqual(answer.footer);
    expect(decoded.xorbs[0]?.chunks[0]?.globalDedup).toBe(true);
    expect(decoded.xorbs[0]?.chunks[1]?.globalDedup).toBeUndefined();
    expect(hashToHex(decoded.xorbs[0]?.chunks[1]?.hash ?? new Uint8Array(32))).toBe(
      hashToHex(keyed(xorb.chunks[1]?.hash ?? new Uint8Array(32))),
    );
    expect(
      decodeShard(encodeShard({ ...answer, footer: { hmacKey: key, createdAt: 1, expiresAt: Infinity } })).footer
        ?.expiresAt,
    ).toBe(Infinity);
  });

  const reason = (bytes: Uint8Array): string => {
    try {
      decodeShard(bytes);
    } catch (error) {
      if (error instanceof XetFormatError) {
        return error.reason;
      }
      throw error;
    }
    return "accepted";
  };
  const edit = (change: (bytes: Uint8Array, view: DataView) => void): Uint8Array => {
    const bytes = encodeShard(shard);
    change(bytes, new DataView(bytes.buffer));
    return bytes;
  };

  it.each([
    ["a wrong tag", () => edit((b) => (b[0] = 0)), "bad-shard-header"],
    ["header version 1", () => edit((_, v) => v.setBigUint64(32, 1n, true)), "bad-shard-header"],
    ["a footer size that is neither 0 nor 200", () => edit((_, v) => v.setBigUint64(40, 7n, true)), "bad-shard-header"],
    ["a cut-off file section", () => encodeShard(shard).subarray(0, 48 * 3), "truncated"],
    ["a missing CAS bookend", () => encodeShard(shard).subarray(0, encodeShard(shard).length - 48), "truncated"],
    ["a term count beyond the shard", () => edit((_, v) => v.setUint32(48 + 36, 0xffffff, true)), "truncated"],
    ["trailing bytes", () => new Uint8Array([...encodeShard(shard), 0]), "bad-shard-entry"],
    ["one file verified, one not", () => mixedVerification(), "bad-shard-entry"],
    [
      "a footer that lies about the sections",
      () => withFooter((v, at) => v.setBigUint64(at + 16, 48n, true)),
      "bad-shard-header",
    ],
    ["a footer of another version", () => withFooter((v, at) => v.setBigUint64(at, 2n, true)), "bad-shard-header"],
    [
      "a footer lookup table outside the space before the footer",
      () => withFooter((v, at) => (v.setBigUint64(at + 24, 0n, true), v.setBigUint64(at + 32, 1n, true))),
      "bad-shard-header",
    ],
  ])("refuses %s", (_, bytes, expected) => {
    expect(reason(bytes())).toBe(expected);
  });

  it("accepts a footer whose reserved lookup-table fields are zero, as @huggingface/hub writes it", () => {
    const bytes = withFooter((v, at) => {
      for (let offset = 24; offset < 72; offset += 8) {
        v.setBigUint64(at + offset, 0n, true);
      }
    });
    expect(decodeShard(bytes).files.map((file) => hashToHex(file.hash))).toEqual(
      shard.files.map((file) => hashToHex(file.hash)),
    );
  });

  function unverified(index: number): ShardFile {
    const file = shard.files[index] as ShardFile;
    return { ...file, terms: file.terms.map(({ verificationHash: _, ...term }) => term) };
  }

  /** File A with verification entries, file B without: encodeShard refuses to write this, so splice it. */
  function mixedVerification(): Uint8Array {
    const verifiedA = encodeShard({ files: [shard.files[0] as ShardFile], xorbs: shard.xorbs });
    const plainB = encodeShard({ files: [unverified(1)], xorbs: [] });
    return new Uint8Array([
      ...verifiedA.subarray(0, 48 * 5),
      ...plainB.subarray(48, 48 * 4),
      ...verifiedA.subarray(48 * 5),
    ]);
  }

  function withFooter(change: (view: DataView, footerAt: number) => void): Uint8Array {
    const bytes = encodeShard({ ...shard, footer: { hmacKey: new Uint8Array(32), createdAt: 0, expiresAt: 1 } });
    change(new DataView(bytes.buffer), bytes.length - 200);
    return bytes;
  }
});

describe("verifyShard", () => {
  const broken = (change: (copy: { files: ShardFile[]; xorbs: ShardXorb[] }) => void): Shard => {
    const copy = structuredClone<{ files: ShardFile[]; xorbs: ShardXorb[] }>({
      files: [...shard.files],
      xorbs: [...shard.xorbs],
    });
    change(copy);
    return copy;
  };
  const term = (copy: { files: ShardFile[] }, changes: object): void => {
    const file = copy.files[1] as ShardFile;
    copy.files[1] = { ...file, terms: [{ ...(file.terms[0] as ShardFile["terms"][number]), ...changes }] };
  };

  it("accepts a term pointing at a xorb the server already stores", () => {
    const stored = new Map([[hashToHex(xorb.hash), xorb]]);
    expect(() => verify({ files: shard.files, xorbs: [] }, stored)).not.toThrow();
    expect(() => verify({ files: shard.files, xorbs: [] })).toThrow(/neither stored nor in the shard/);
  });

  it.each([
    ["a chunk range past the xorb's end", (c: { files: ShardFile[] }) => term(c, { chunkEnd: 99 }), /which has/],
    ["an empty chunk range", (c: { files: ShardFile[] }) => term(c, { chunkStart: 3, chunkEnd: 3 }), /which has/],
    ["a wrong unpacked size", (c: { files: ShardFile[] }) => term(c, { unpackedBytes: 29_999 }), /its chunks hold/],
    [
      "a wrong verification hash",
      (c: { files: ShardFile[] }) => term(c, { verificationHash: new Uint8Array(32) }),
      /wrong verification hash/,
    ],
    [
      "no verification hash",
      (c: { files: ShardFile[] }) => term(c, { verificationHash: undefined }),
      /no verification/,
    ],
    [
      "a file hash that is not its chunks'",
      (c: { files: ShardFile[] }) => (c.files[1] = { ...(c.files[1] as ShardFile), hash: new Uint8Array(32).fill(1) }),
      /another file hash/,
    ],
    [
      "a xorb whose chunks do not hash to its name",
      (c: { xorbs: ShardXorb[] }) => {
        const listed = c.xorbs[0] as ShardXorb;
        const chunks = [...listed.chunks];
        chunks[0] = { ...(chunks[0] as ShardXorb["chunks"][number]), hash: new Uint8Array(32) };
        c.xorbs[0] = { ...listed, chunks };
      },
      /do not hash to its name/,
    ],
    [
      "a xorb whose chunks leave a gap",
      (c: { xorbs: ShardXorb[] }) => {
        const listed = c.xorbs[0] as ShardXorb;
        c.xorbs[0] = {
          ...listed,
          chunks: listed.chunks.map((chunk) => ({ ...chunk, unpackedStart: chunk.unpackedStart + 1 })),
        };
      },
      /expected to start at/,
    ],
  ])("refuses %s", (_, change, message) => {
    expect(() => verify(broken(change as (c: { files: ShardFile[]; xorbs: ShardXorb[] }) => void))).toThrow(message);
  });
});

describe("isGlobalDedupEligible", () => {
  it("is true when the hash's last little-endian u64 is 0 modulo 1024", () => {
    const hash = new Uint8Array(32).fill(0xff);
    hash[24] = 0;
    hash[25] = 0xfc;
    expect(isGlobalDedupEligible(hash)).toBe(true);
    hash[25] = 0xfd;
    expect(isGlobalDedupEligible(hash)).toBe(false);
    hash[25] = 0xfc;
    hash[24] = 1;
    expect(isGlobalDedupEligible(hash)).toBe(false);
  });
});

describe("encodeShard's verification flag", () => {
  it("marks an empty file (no terms) as verified, as hf_xet does, and refuses a mix", () => {
    const empty: ShardFile = { hash: new Uint8Array(32), terms: [], sha256: "0".repeat(64) };
    const bytes = encodeShard({ files: [empty], xorbs: [] });
    expect(new DataView(bytes.buffer).getUint32(48 + 32, true)).toBe(0xc0000000);
    const plain = {
      ...(shard.files[0] as ShardFile),
      terms: (shard.files[0] as ShardFile).terms.map(({ verificationHash: _, ...term }) => term),
    };
    expect(() => encodeShard({ files: [plain, shard.files[1] as ShardFile], xorbs: [] })).toThrow(/or for none/);
    expect(new DataView(encodeShard({ files: [plain], xorbs: [] }).buffer).getUint32(48 + 32, true)).toBe(0x40000000);
  });
});
