import { hashToHex } from "../../src/xet/index.js";
import type { StoredXorb } from "./stored-xorb.js";
import type { XetFileRecord } from "./xet-file-record.js";

/** Where a chunk is stored: a xorb and its index there. */
export interface ChunkLocation {
  readonly xorb: string;
  readonly index: number;
}

/**
 * The CAS's indexes, one entry per content across all repos: files by Xet hash and by SHA-256, and
 * every stored chunk by its hash (what global dedup and the ingestion of LFS objects look chunks up
 * in). A chunk held by two xorbs is found in the first.
 */
export class CasCatalog {
  readonly files = new Map<string, XetFileRecord>();
  private readonly bySha256 = new Map<string, string>();
  private readonly chunks = new Map<string, ChunkLocation>();
  /** Xorb → the files with a term in it: the neighbours a dedup answer offers. */
  private readonly filesOfXorb = new Map<string, Set<string>>();

  addXorb(xorb: StoredXorb): void {
    xorb.chunks.forEach((chunk, index) => {
      const key = hashToHex(chunk.hash);
      if (!this.chunks.has(key)) {
        this.chunks.set(key, { xorb: xorb.hash, index });
      }
    });
  }

  addFile(file: XetFileRecord): void {
    this.files.set(file.hash, file);
    this.bySha256.set(file.sha256, file.hash);
    for (const term of file.terms) {
      const files = this.filesOfXorb.get(term.xorb) ?? new Set<string>();
      files.add(file.hash);
      this.filesOfXorb.set(term.xorb, files);
    }
  }

  fileBySha256(sha256: string): XetFileRecord | undefined {
    const hash = this.bySha256.get(sha256);
    return hash === undefined ? undefined : this.files.get(hash);
  }

  chunk(hash: string): ChunkLocation | undefined {
    return this.chunks.get(hash);
  }

  /** The xorb, then the other xorbs of the files that use it, in their order, at most `limit` in all. */
  neighbours(xorb: string, limit: number): string[] {
    const out = [xorb];
    for (const fileHash of this.filesOfXorb.get(xorb) ?? []) {
      for (const term of this.files.get(fileHash)?.terms ?? []) {
        if (out.length >= limit) {
          return out;
        }
        if (!out.includes(term.xorb)) {
          out.push(term.xorb);
        }
      }
    }
    return out;
  }
}
