import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import wabt from "wabt";
import { describe, expect, it } from "vitest";
import { gearKernelWasm } from "./gear-kernel-wasm.js";

describe("gearKernelWasm", () => {
  it("is gear-kernel.wat compiled: the embedded bytes are not stale", async () => {
    const source = await readFile(fileURLToPath(new URL("./gear-kernel.wat", import.meta.url)), "utf8");
    const module = (await wabt()).parseWat("gear-kernel.wat", source);
    module.validate();
    const compiled = Buffer.from(module.toBinary({}).buffer);
    const embedded = Buffer.from(gearKernelWasm());
    // On a mismatch, paste this value into WASM_BASE64 in gear-kernel-wasm.ts.
    expect(embedded.toString("base64"), `WASM_BASE64 should be:\n${compiled.toString("base64")}\n`).toBe(
      compiled.toString("base64"),
    );
    expect(WebAssembly.validate(embedded)).toBe(true);
  });
});
