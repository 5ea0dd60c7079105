import { DTYPE_BITS } from "./dtypes.js";
import { SafetensorsError } from "./safetensors-error.js";
import { topLevelKeys } from "./top-level-keys.js";

/** Same cap as the reference reader (safetensors tensor.rs MAX_HEADER_SIZE). */
export const MAX_HEADER_LENGTH = 100_000_000;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte offsets relative to the start of the data section; `end` is one past. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** N: the JSON header's length in bytes, padding included. */
  headerLength: number;
  /** Absolute file offset of the data section: 8 + N. */
  dataStart: number;
  metadata: Record<string, string> | null;
  /** Sorted by `begin`. */
  tensors: TensorInfo[];
}

function isSafeNonNegative(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Pure: validates the JSON header against every rule of the reference reader (safetensors
 * `Metadata::validate`): a JSON object, string-only metadata, known dtypes, integer shapes, offsets
 * contiguous from 0 with no holes or overlaps, sizes = numel × dtype bits / 8, and data ending exactly
 * at the end of the file. Duplicate tensor names are refused too.
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSize: number, file: string): SafetensorsHeader {
  const headerLength = headerBytes.byteLength;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(headerBytes);
  } catch {
    throw new SafetensorsError(`${file}: header is not valid UTF-8`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(`${file}: header is not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new SafetensorsError(`${file}: header must be a JSON object`);
  }
  const seen = new Set<string>();
  for (const key of topLevelKeys(text)) {
    if (seen.has(key)) {
      throw new SafetensorsError(`${file}: tensor "${key}" appears twice in the header`);
    }
    seen.add(key);
  }

  let metadata: Record<string, string> | null = null;
  const tensors: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (entry === null) {
        continue;
      }
      if (typeof entry !== "object" || Array.isArray(entry)) {
        throw new SafetensorsError(`${file}: __metadata__ must be an object of strings`);
      }
      for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof value !== "string") {
          throw new SafetensorsError(`${file}: __metadata__.${key} must be a string, got ${typeof value}`);
        }
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      throw new SafetensorsError(`${file}: tensor "${name}" must be an object with dtype, shape, data_offsets`);
    }
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== "string" || !(dtype in DTYPE_BITS)) {
      throw new SafetensorsError(`${file}: tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`);
    }
    if (!Array.isArray(shape) || !shape.every(isSafeNonNegative)) {
      throw new SafetensorsError(`${file}: tensor "${name}" shape must be a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSafeNonNegative)) {
      throw new SafetensorsError(`${file}: tensor "${name}" data_offsets must be [begin, end] integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) {
      throw new SafetensorsError(`${file}: tensor "${name}" data_offsets end ${end} < begin ${begin}`);
    }
    const bits = BigInt(DTYPE_BITS[dtype] ?? 0);
    const numelBits = shape.reduce((acc, dim) => acc * BigInt(dim), 1n) * bits;
    if (numelBits % 8n !== 0n) {
      throw new SafetensorsError(`${file}: tensor "${name}" does not fill whole bytes (${numelBits} bits)`);
    }
    if (numelBits / 8n !== BigInt(end - begin)) {
      throw new SafetensorsError(
        `${file}: tensor "${name}" ${dtype}${JSON.stringify(shape)} needs ${numelBits / 8n} bytes but data_offsets span ${end - begin}`,
      );
    }
    tensors.push({ name, dtype, shape: shape, begin, end });
  }

  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const tensor of tensors) {
    if (tensor.begin !== expected) {
      throw new SafetensorsError(
        tensor.begin > expected
          ? `${file}: tensor "${tensor.name}" starts at ${tensor.begin}, leaving a hole after byte ${expected}`
          : `${file}: tensor "${tensor.name}" starts at ${tensor.begin}, overlapping data that ends at ${expected}`,
      );
    }
    expected = tensor.end;
  }
  const dataStart = 8 + headerLength;
  const dataBytes = fileSize - dataStart;
  if (expected !== dataBytes) {
    throw new SafetensorsError(
      expected < dataBytes
        ? `${file}: ${dataBytes - expected} unexpected bytes after the last tensor (file ${fileSize} bytes, tensors end at ${dataStart + expected})`
        : `${file}: truncated: tensors need ${dataStart + expected} bytes but the file has ${fileSize}`,
    );
  }
  return { headerLength, dataStart, metadata, tensors };
}
