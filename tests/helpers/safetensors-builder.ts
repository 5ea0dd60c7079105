export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/**
 * Serializes tensors the way a real writer does. `style: "mlx"` mimics mlx's save_safetensors:
 * keys sorted, `"__metadata__": null`, no header padding, data in a shuffled order (offsets not
 * in key order). `style: "pt"` mimics the Rust writer: `{"format":"pt"}` metadata, header padded
 * with spaces to a multiple of 8.
 */
export function buildSafetensors(
  tensors: TensorSpec[],
  options: { style?: "mlx" | "pt"; metadata?: Record<string, string> | null } = {},
): Buffer {
  const style = options.style ?? "mlx";
  const dataOrder = style === "mlx" ? [...tensors].reverse() : [...tensors].sort((a, b) => (a.name < b.name ? -1 : 1));
  const offsets = new Map<string, [number, number]>();
  let cursor = 0;
  for (const tensor of dataOrder) {
    offsets.set(tensor.name, [cursor, cursor + tensor.data.byteLength]);
    cursor += tensor.data.byteLength;
  }
  const header: Record<string, unknown> = {
    __metadata__: options.metadata === undefined ? (style === "mlx" ? null : { format: "pt" }) : options.metadata,
  };
  for (const tensor of [...tensors].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: offsets.get(tensor.name) };
  }
  let json = JSON.stringify(header);
  if (style === "pt") {
    json = json.padEnd(Math.ceil((json.length + 0) / 8) * 8, " ");
  }
  const headerBytes = Buffer.from(json, "utf8");
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(headerBytes.byteLength));
  return Buffer.concat([prefix, headerBytes, ...dataOrder.map((tensor) => Buffer.from(tensor.data))]);
}

/** Random float32 values in [-1, 1) as raw little-endian bytes. */
export function randomF32(count: number, random: () => number): Uint8Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = random() * 2 - 1;
  }
  return new Uint8Array(values.buffer);
}
