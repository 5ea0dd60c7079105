/** Bytes read per call: large enough that syscalls and messages are noise, small enough to stay in L2/L3. */
export const HASH_READ_BYTES = 4 * 1024 * 1024;

/**
 * The program of a hashing worker thread, run with `new Worker(source, { eval: true })` so the same
 * code works from the build and from the TypeScript sources under test (no worker file to locate).
 * It is plain CommonJS and uses only node:crypto and node:fs. Messages in:
 *   {type: "file", id, path, size, gitSha1}   sha256 (and git blob sha1) of a file, read into one
 *                                             reused buffer; progress after every read
 *   {type: "blocks", buffer}                  starts a sha256 over ranges of a SharedArrayBuffer
 *   {type: "block", id, offset, length}       hashes one range, in the order sent
 *   {type: "digest"}                          ends the range hash
 * Messages out: {type: "progress", id, bytes}, {type: "file-done", id, sha256, gitSha1},
 * {type: "block-done", id}, {type: "digest", sha256}, {type: "error", id, message, code}.
 */
export function hashWorkerSource(): string {
  return `
"use strict";
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { openSync, readSync, closeSync } = require("node:fs");
const buffer = Buffer.allocUnsafeSlow(${HASH_READ_BYTES});
let shared;
let rangeHash;
function hashFile(message) {
  const fd = openSync(message.path, "r");
  try {
    const sha256 = createHash("sha256");
    const sha1 = message.gitSha1 ? createHash("sha1").update("blob " + message.size + "\\0") : undefined;
    let done = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) {
        break;
      }
      const chunk = read === buffer.length ? buffer : buffer.subarray(0, read);
      sha256.update(chunk);
      if (sha1 !== undefined) {
        sha1.update(chunk);
      }
      done += read;
      parentPort.postMessage({ type: "progress", id: message.id, bytes: done });
    }
    return { sha256: sha256.digest("hex"), gitSha1: sha1 === undefined ? undefined : sha1.digest("hex") };
  } finally {
    closeSync(fd);
  }
}
parentPort.on("message", (message) => {
  try {
    switch (message.type) {
      case "file":
        parentPort.postMessage({ type: "file-done", id: message.id, ...hashFile(message) });
        break;
      case "blocks":
        shared = new Uint8Array(message.buffer);
        rangeHash = createHash("sha256");
        break;
      case "block":
        rangeHash.update(shared.subarray(message.offset, message.offset + message.length));
        parentPort.postMessage({ type: "block-done", id: message.id });
        break;
      case "digest":
        parentPort.postMessage({ type: "digest", sha256: rangeHash.digest("hex") });
        break;
    }
  } catch (error) {
    parentPort.postMessage({ type: "error", id: message.id, message: String(error && error.message), code: error && error.code });
  }
});
`;
}
