import { open, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunIssue } from "../errors.js";
import type { SafetensorsHeader } from "../safetensors/parse-safetensors-header.js";
import { readTensorBytes } from "../safetensors/read-tensor-bytes.js";
import { writeSafetensors } from "../safetensors/write-safetensors.js";
import { loadConvertKernels } from "./load-convert-kernels.js";
import type { PeftPlan } from "./plan-peft-conversion.js";
import { DTYPE_BITS } from "../safetensors/dtypes.js";

/** Output blocks in flight at once, and their size (at least one output row). */
const DEPTH = 4;
const BLOCK_BYTES = 4 * 1024 * 1024;

export interface ConvertedAdapter {
  weights: { abs: string; size: number; sha256: string };
  config: { abs: string; size: number };
  /** Value problems found while converting (NaN/Inf, an untrained adapter). */
  issues: RunIssue[];
  warnings: string[];
}

/** The `__metadata__` of the PEFT weights we write, as PEFT's own save writes it. */
export const PEFT_METADATA: Readonly<Record<string, string>> = { format: "pt" };

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/**
 * Streams an MLX adapter into PEFT files in `outDir`, every byte moved once through one shared
 * memory: tensor i+1 is read from disk while tensor i is scanned for NaN/Inf and all-zero lora_b
 * and transposed (SIMD) into output blocks, which are written and hashed (on a worker thread) while
 * the next blocks are filled. Memory holds two source tensors and a few 4 MiB blocks, never the
 * file. Written through a temp file + rename.
 */
export async function convertMlxAdapter(params: {
  weightsAbs: string;
  weightsRel: string;
  header: SafetensorsHeader;
  plan: PeftPlan;
  outDir: string;
  allowUntrained: boolean;
}): Promise<ConvertedAdapter> {
  const { plan, weightsRel } = params;
  const issues: RunIssue[] = [];
  const warnings: string[] = [];
  let anyTrainedB = false;

  const elementBytes = (dtype: string): 2 | 4 => ((DTYPE_BITS[dtype] ?? 16) / 8 === 4 ? 4 : 2);
  const slotBytes = align(Math.max(0, ...plan.tensors.map((t) => t.source.end - t.source.begin)));
  const rowBytes = Math.max(0, ...plan.tensors.map((t) => (t.source.shape[0] ?? 0) * elementBytes(t.dtype)));
  const blockBytes = Math.max(BLOCK_BYTES, align(rowBytes));
  const kernels = loadConvertKernels(2 * slotBytes + DEPTH * blockBytes);
  const slots = [0, slotBytes];
  const arena = {
    buffer: kernels.buffer,
    blocks: Array.from({ length: DEPTH }, (_, index) => 2 * slotBytes + index * blockBytes),
    blockBytes,
  };

  const handle = await open(params.weightsAbs, "r");
  const read = (index: number): Promise<Uint8Array> => {
    const tensor = plan.tensors[index];
    if (tensor === undefined) {
      return Promise.reject(new Error(`no planned tensor ${index}`));
    }
    const slot = slots[index % 2] ?? 0;
    return readTensorBytes(handle, params.header, tensor.source, kernels.bytes.subarray(slot, slot + slotBytes));
  };
  let nextRead: Promise<Uint8Array> | undefined;
  let weights: { size: number; sha256: string };
  try {
    weights = await writeSafetensors(
      path.join(params.outDir, "adapter_model.safetensors"),
      plan.tensors,
      { ...PEFT_METADATA },
      async (index, sink) => {
        const tensor = plan.tensors[index];
        if (tensor === undefined) {
          throw new Error(`no planned tensor ${index}`);
        }
        const bytes = await (nextRead ?? read(index));
        // Read ahead into the other slot: its tensor was fully consumed before this one began.
        nextRead = index + 1 < plan.tensors.length ? read(index + 1) : undefined;
        nextRead?.catch(() => undefined);
        const src = bytes.byteOffset;
        const { nonFinite, allZero } = kernels.scan(src, bytes.byteLength, tensor.dtype);
        if (nonFinite > 0) {
          issues.push({
            file: weightsRel,
            message: `${tensor.source.name} has ${nonFinite} NaN/Inf value${nonFinite === 1 ? "" : "s"}; training diverged`,
          });
        }
        if (tensor.role === "B" && !allZero) {
          anyTrainedB = true;
        }
        if (!tensor.transpose) {
          for (let offset = 0; offset < bytes.byteLength; offset += sink.blockBytes) {
            const length = Math.min(sink.blockBytes, bytes.byteLength - offset);
            const block = await sink.block();
            kernels.bytes.copyWithin(block.offset, src + offset, src + offset + length);
            sink.push(block, length);
          }
          return undefined;
        }
        const [rows = 0, cols = 0] = tensor.source.shape;
        const size = elementBytes(tensor.dtype);
        const fit = Math.floor(sink.blockBytes / (rows * size));
        // Whole 8-row groups keep the SIMD kernels off their scalar edge path.
        const perBlock = fit >= 8 ? fit - (fit % 8) : Math.max(1, fit);
        for (let c0 = 0; c0 < cols; c0 += perBlock) {
          const c1 = Math.min(cols, c0 + perBlock);
          const block = await sink.block();
          kernels.transposeRows(src, block.offset, rows, cols, size, c0, c1);
          sink.push(block, (c1 - c0) * rows * size);
        }
        return undefined;
      },
      { arena },
    );
  } finally {
    await nextRead?.catch(() => undefined);
    await handle.close();
  }
  if (!anyTrainedB) {
    const message =
      "every lora_b is all zeros: the adapter is untrained (saved at iteration 0?), so it would change nothing";
    if (params.allowUntrained) {
      warnings.push(`${weightsRel}: ${message}; uploading anyway (--allow-untrained)`);
    } else {
      issues.push({ file: weightsRel, message: `${message}; pass --allow-untrained to upload it anyway` });
    }
  }
  const configText = `${JSON.stringify(plan.config, null, 2)}\n`;
  const configAbs = path.join(params.outDir, "adapter_config.json");
  await writeFile(configAbs, configText);
  return {
    weights: { abs: path.join(params.outDir, "adapter_model.safetensors"), ...weights },
    config: { abs: configAbs, size: Buffer.byteLength(configText) },
    issues,
    warnings,
  };
}
