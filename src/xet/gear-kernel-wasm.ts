/**
 * gear-kernel.wat, compiled (wabt, no extra features). gear-kernel-wasm.test.ts compiles the .wat
 * again and fails, printing the new value, when this is out of date.
 */
const WASM_BASE64 =
  "AGFzbQEAAAABCwJgAABgA39/fwF/AwMCAAEFAwEAAwYGAX4BQgALBxkDBm1lbW9yeQIABXJlc2V0AAAEZmluZAABClwCBgBCACQAC1MBAX4jACEDAkADQCAAIAFPDQEgA0IBhiAALQAAQQN0KQMAfCEDIABBAWohACADQoCAgICAgECDQgBSDQAgACACSQ0AIAMkACAADwsLIAMkAEEACw==";

/** The bytes of the Gear hash kernel, decoded once per call (the caller keeps the compiled module). */
export function gearKernelWasm(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.from(WASM_BASE64, "base64"));
}
