/** An independent, minimal safetensors reader for tests (deliberately not the code under test). */
export function readAllTensors(
  file: Uint8Array,
): Map<string, { dtype: string; shape: number[]; bytes: Uint8Array }> & { metadata?: unknown } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const out = new Map<string, { dtype: string; shape: number[]; bytes: Uint8Array }>() as Map<
    string,
    { dtype: string; shape: number[]; bytes: Uint8Array }
  > & { metadata?: unknown };
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      out.metadata = entry;
      continue;
    }
    const [begin, end] = entry.data_offsets;
    out.set(name, { dtype: entry.dtype, shape: entry.shape, bytes: file.slice(8 + n + begin, 8 + n + end) });
  }
  return out;
}

/** Decodes F32/F16/BF16 little-endian bytes to float64 values. */
export function decode(bytes: Uint8Array, dtype: string): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: number[] = [];
  if (dtype === "F32") {
    for (let i = 0; i < bytes.byteLength; i += 4) {
      values.push(view.getFloat32(i, true));
    }
    return values;
  }
  for (let i = 0; i < bytes.byteLength; i += 2) {
    const h = view.getUint16(i, true);
    if (dtype === "BF16") {
      const f = new DataView(new ArrayBuffer(4));
      f.setUint32(0, h << 16, false);
      values.push(f.getFloat32(0, false));
    } else {
      const sign = h & 0x8000 ? -1 : 1;
      const exponent = (h >> 10) & 0x1f;
      const mantissa = h & 0x3ff;
      values.push(
        exponent === 0
          ? sign * (mantissa / 1024) * 2 ** -14
          : exponent === 31
            ? mantissa
              ? Number.NaN
              : sign * Infinity
            : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15),
      );
    }
  }
  return values;
}

/** Random finite values of a dtype, as raw bytes; 16-bit types are drawn as bit patterns with a bounded exponent. */
export function randomTensorBytes(count: number, dtype: "F32" | "F16" | "BF16", random: () => number): Uint8Array {
  if (dtype === "F32") {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      values[i] = random() * 2 - 1;
    }
    return new Uint8Array(values.buffer);
  }
  const words = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    const sign = random() < 0.5 ? 0x8000 : 0;
    if (dtype === "F16") {
      const exponent = 10 + Math.floor(random() * 6); // 2^-5 .. 2^0
      words[i] = sign | (exponent << 10) | Math.floor(random() * 1024);
    } else {
      const exponent = 122 + Math.floor(random() * 6);
      words[i] = sign | (exponent << 7) | Math.floor(random() * 128);
    }
  }
  return new Uint8Array(words.buffer);
}

/** y = x · M for a row vector x and a row-major [rows, cols] matrix M. */
export function vecMat(x: number[], matrix: number[], rows: number, cols: number): number[] {
  const y = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) {
    const xr = x[r] ?? 0;
    for (let c = 0; c < cols; c++) {
      y[c] = (y[c] ?? 0) + xr * (matrix[r * cols + c] ?? 0);
    }
  }
  return y;
}

/** y = x · Mᵀ for a row-major [rows, cols] matrix M (so x has `cols` entries). */
export function vecMatT(x: number[], matrix: number[], rows: number, cols: number): number[] {
  const y = new Array<number>(rows).fill(0);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      sum += (x[c] ?? 0) * (matrix[r * cols + c] ?? 0);
    }
    y[r] = sum;
  }
  return y;
}
