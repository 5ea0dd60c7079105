import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import wabt from "wabt";
import { describe, expect, it } from "vitest";
import { lz4KernelWasm } from "./lz4-kernel-wasm.js";

describe("lz4KernelWasm", () => {
  it("is lz4-kernel.wat compiled: the embedded bytes are not stale", async () => {
    const source = await readFile(fileURLToPath(new URL("./lz4-kernel.wat", import.meta.url)), "utf8");
    const module = (await wabt()).parseWat("lz4-kernel.wat", source);
    module.validate();
    const compiled = Buffer.from(module.toBinary({}).buffer);
    const embedded = Buffer.from(lz4KernelWasm());
    // On a mismatch, paste this value into WASM_BASE64 in lz4-kernel-wasm.ts.
    expect(embedded.toString("base64"), `WASM_BASE64 should be:\n${compiled.toString("base64")}\n`).toBe(
      compiled.toString("base64"),
    );
    expect(WebAssembly.validate(embedded)).toBe(true);
  });
});
