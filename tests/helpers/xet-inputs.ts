import { seededRandom } from "./random.js";

/** `length` bytes from the seeded PRNG, four per draw: the same bytes on every run and machine. */
export function seededBytes(seed: number, length: number): Uint8Array {
  const [bytes] = seededPieces(seed, length, length);
  return bytes ?? new Uint8Array(0);
}

/** The same bytes as seededBytes(seed, total), in pieces of `piece` bytes (a multiple of 4), for inputs too big to hold. */
export function* seededPieces(seed: number, total: number, piece: number): Generator<Uint8Array> {
  const next = seededRandom(seed);
  for (let done = 0; done < total; done += piece) {
    const length = Math.min(piece, total - done);
    const out = new Uint8Array(Math.ceil(length / 4) * 4);
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < words.length; i++) {
      words[i] = Math.floor(next() * 4294967296);
    }
    yield out.subarray(0, length);
  }
}

/**
 * The files of the committed hf_xet golden fixtures (tests/fixtures/xet), rebuilt from seeds so only
 * hf_xet's answers need committing: each names the chunking or compression case it pins.
 */
export function xetGoldenInputs(): { name: string; bytes: Uint8Array }[] {
  const floats = new Float32Array(32 * 1024);
  const next = seededRandom(5);
  for (let i = 0; i < floats.length; i++) {
    floats[i] = (next() + next() + next() - 1.5) * 0.02;
  }
  const words = ["adapter", "lora", "weight", "scale", "rank", "alpha", "model", "tensor", "shard", "xorb"];
  const pick = seededRandom(6);
  let text = "";
  while (text.length < 150_000) {
    text += `${words[Math.floor(pick() * words.length)] ?? ""}${pick() < 0.1 ? ".\n" : " "}`;
  }
  return [
    { name: "empty.bin", bytes: new Uint8Array(0) },
    { name: "hello.txt", bytes: new TextEncoder().encode("hello") },
    { name: "under-min.bin", bytes: seededBytes(1, 8 * 1024 - 1) },
    { name: "at-min.bin", bytes: seededBytes(2, 8 * 1024) },
    // Ends exactly where seed 3's stream has its 2nd content-defined boundary (checked against hf_xet's chunks).
    { name: "boundary-end.bin", bytes: seededBytes(3, BOUNDARY_END) },
    { name: "many-chunks.bin", bytes: seededBytes(4, 250_000) },
    { name: "zeros.bin", bytes: new Uint8Array(300_000) },
    { name: "floats.f32", bytes: new Uint8Array(floats.buffer) },
    { name: "words.txt", bytes: new TextEncoder().encode(text) },
  ];
}

/** The large inputs of the golden fixtures, by seed and size: only hf_xet's hashes of them are committed. */
export const XET_LARGE_INPUTS = {
  /** Over 64 MiB: hf_xet cuts it into two xorbs. */
  multiXorb: { seed: 7, size: 70 * 1024 * 1024 },
  /** 1 GiB: checked by bench/time-xet.ts --check (too slow for the default suite). */
  oneGiB: { seed: 8, size: 1024 * 1024 * 1024 },
} as const;

const BOUNDARY_END = 92_564;
