import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import wabt from "wabt";
import { describe, expect, it } from "vitest";
import { blake3KernelWasm } from "./blake3-kernel-wasm.js";

describe("blake3KernelWasm", () => {
  it("is blake3-kernel.wat compiled: the embedded bytes are not stale", async () => {
    const source = await readFile(fileURLToPath(new URL("./blake3-kernel.wat", import.meta.url)), "utf8");
    const features = { simd: true };
    const module = (await wabt()).parseWat("blake3-kernel.wat", source, features);
    // wabt's typings omit validate's features argument.
    (module.validate as (this: typeof module, options: typeof features) => void).call(module, features);
    const compiled = Buffer.from(module.toBinary({}).buffer);
    const embedded = Buffer.from(blake3KernelWasm());
    // On a mismatch, paste this value into WASM_BASE64 in blake3-kernel-wasm.ts.
    expect(embedded.toString("base64"), `WASM_BASE64 should be:\n${compiled.toString("base64")}\n`).toBe(
      compiled.toString("base64"),
    );
    expect(WebAssembly.validate(embedded)).toBe(true);
  });
});
