// Times the hashing pass alone: hashFiles() (worker-thread pool) over the given files, from the
// build, in a process of its own. Prints {"seconds": s, "files": n}.
//   node bench/time-hashing.mjs <file>...
import { stat } from "node:fs/promises";
import { hashFiles } from "../dist/src/hash/hash-files.js";

const files = await Promise.all(
  process.argv.slice(2).map(async (file) => ({ path: file, size: (await stat(file)).size })),
);
const started = performance.now();
let count = 0;
for await (const result of hashFiles(files, { gitBlobLimit: 10 * 1024 * 1024 })) {
  count += result.sha256.length === 64 ? 1 : 0;
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, files: count })}\n`);
