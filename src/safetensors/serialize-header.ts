import { DTYPE_BITS } from "./dtypes.js";

export interface OutputTensor {
  name: string;
  dtype: string;
  shape: number[];
}

export interface SerializedHeader {
  /** The 8-byte length prefix and the JSON header, padded with spaces to a multiple of 8. */
  bytes: Uint8Array;
  /** Byte size of each tensor, in the order given (which is also the data order). */
  sizes: number[];
  dataBytes: number;
}

/**
 * Pure: the header of a safetensors file whose tensors are stored in the given order, contiguous
 * from offset 0. `__metadata__` comes first, as PEFT writes it; the header is padded to 8 bytes so
 * the data section is aligned (the Rust writer does the same since v0.3.1).
 */
export function serializeHeader(
  tensors: readonly OutputTensor[],
  metadata: Record<string, string> | null,
): SerializedHeader {
  const header: Record<string, unknown> = {};
  if (metadata !== null) {
    header.__metadata__ = metadata;
  }
  const sizes: number[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    const bits = DTYPE_BITS[tensor.dtype];
    if (bits === undefined) {
      throw new Error(`cannot write unknown dtype ${tensor.dtype}`);
    }
    const numel = tensor.shape.reduce((product, dim) => product * dim, 1);
    const size = (numel * bits) / 8;
    if (!Number.isSafeInteger(size)) {
      throw new Error(`tensor ${tensor.name} has a size that is not a whole number of bytes`);
    }
    if (tensor.name in header) {
      throw new Error(`tensor ${tensor.name} is written twice`);
    }
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + size] };
    sizes.push(size);
    offset += size;
  }
  let json = JSON.stringify(header);
  const padding = (8 - ((Buffer.byteLength(json) + 8) % 8)) % 8;
  json += " ".repeat(padding);
  const jsonBytes = Buffer.from(json, "utf8");
  const bytes = new Uint8Array(8 + jsonBytes.byteLength);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(jsonBytes.byteLength), true);
  bytes.set(jsonBytes, 8);
  return { bytes, sizes, dataBytes: offset };
}
