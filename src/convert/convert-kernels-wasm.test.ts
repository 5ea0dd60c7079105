import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import wabt from "wabt";
import { describe, expect, it } from "vitest";
import { convertKernelsWasm } from "./convert-kernels-wasm.js";

describe("convertKernelsWasm", () => {
  it("is convert-kernels.wat compiled: the embedded bytes are not stale", async () => {
    const source = await readFile(fileURLToPath(new URL("./convert-kernels.wat", import.meta.url)), "utf8");
    const features = { simd: true, threads: true };
    const module = (await wabt()).parseWat("convert-kernels.wat", source, features);
    // wabt's typings omit validate's features argument; without it, shared memory is refused.
    (module.validate as (this: typeof module, options: typeof features) => void).call(module, features);
    const compiled = Buffer.from(module.toBinary({}).buffer);
    const embedded = Buffer.from(convertKernelsWasm());
    // On a mismatch, paste this value into WASM_BASE64 in convert-kernels-wasm.ts.
    expect(embedded.toString("base64"), `WASM_BASE64 should be:\n${compiled.toString("base64")}\n`).toBe(
      compiled.toString("base64"),
    );
    expect(WebAssembly.validate(embedded)).toBe(true);
  });
});
