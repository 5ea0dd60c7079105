import { XORB_COMPRESSION, type XorbCompression } from "./xorb-compression.js";

/** xet-core's threshold, fitted by its authors on model weights: above it byte grouping pays. */
const KL_THRESHOLD = 0.02;

/**
 * hf_xet's choice between LZ4 and ByteGrouping4LZ4 for a chunk (the spec's "Best Effort Prediction",
 * xet-core bg4_prediction.rs), made the same way so our xorbs compress like hf_xet's: histogram the
 * popcount (0..8) of the bytes at each position modulo 4; byte grouping is chosen when, for some
 * position, the KL divergence of its histogram from the pooled one (each bin counted from 1) exceeds
 * 0.02. A position with an empty bin is left out, as in xet-core, where 0·ln 0 is NaN and f64::max
 * drops NaN: without that, the choice would differ from hf_xet's on exactly the float data that matters.
 */
export function chooseChunkCompression(data: Uint8Array): XorbCompression {
  const histograms = new Uint32Array(4 * 9);
  for (let i = 0; i < data.length; i++) {
    const bin = (i & 3) * 9 + (POPCOUNT[data[i] as number] as number);
    histograms[bin] = (histograms[bin] as number) + 1;
  }
  const pooled = new Float64Array(9).fill(1);
  const totals = new Float64Array(4);
  for (let position = 0; position < 4; position++) {
    for (let bin = 0; bin < 9; bin++) {
      const count = histograms[position * 9 + bin] as number;
      pooled[bin] = (pooled[bin] as number) + count;
      totals[position] = (totals[position] as number) + count;
    }
  }
  const pooledTotal = data.length;
  let maxDivergence = 0;
  for (let position = 0; position < 4; position++) {
    let divergence = 0;
    for (let bin = 0; bin < 9; bin++) {
      const p = (histograms[position * 9 + bin] as number) / (totals[position] as number);
      const q = (pooled[bin] as number) / pooledTotal;
      divergence += p * Math.log(p / q);
    }
    // NaN (an empty bin) compares false: the position is skipped, as f64::max skips it in xet-core.
    if (divergence > maxDivergence) {
      maxDivergence = divergence;
    }
  }
  return maxDivergence > KL_THRESHOLD ? XORB_COMPRESSION.bg4Lz4 : XORB_COMPRESSION.lz4;
}

const POPCOUNT: Uint8Array = Uint8Array.from({ length: 256 }, (_, byte) => {
  let bits = 0;
  for (let b = byte; b !== 0; b >>= 1) {
    bits += b & 1;
  }
  return bits;
});
