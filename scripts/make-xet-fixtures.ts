/**
 * Regenerates tests/fixtures/xet/ from the reference client hf_xet: what it uploads for the seeded
 * golden inputs (tests/helpers/xet-inputs.ts), captured by a local CAS on 127.0.0.1, and its hashes of
 * the large seeded inputs. Needs a python with hf_xet ($XET_REFERENCE_PYTHON or .venv/bin/python).
 *
 *   XET_REFERENCE_PYTHON=/tmp/venv/bin/python npx tsx scripts/make-xet-fixtures.ts
 */
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { captureHfXet, hashWithHfXet, referencePython } from "../tests/helpers/capture-hf-xet.js";
import { XET_LARGE_INPUTS, seededPieces, xetGoldenInputs } from "../tests/helpers/xet-inputs.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "tests", "fixtures", "xet");
const python = referencePython();
if (python === undefined) {
  throw new Error("no python with hf_xet: set XET_REFERENCE_PYTHON (e.g. /tmp/venv/bin/python)");
}
const version = spawnSync(python, ["-c", "import importlib.metadata as m; print(m.version('hf_xet'))"], {
  encoding: "utf8",
}).stdout.trim();

const work = await mkdtemp(path.join(os.tmpdir(), "pa-xet-fixtures-"));
try {
  const inputs = xetGoldenInputs();
  const files = inputs.map(({ name }) => path.join(work, name));
  await Promise.all(inputs.map(({ bytes }, i) => writeFile(files[i] ?? "", bytes)));
  const small = await captureHfXet(python, files);
  if (small.shards.length !== 1) {
    throw new Error(`expected one shard from hf_xet, got ${small.shards.length}`);
  }

  const multiFile = path.join(work, "multi-xorb.bin");
  await writeSeeded(multiFile, XET_LARGE_INPUTS.multiXorb);
  const multi = await captureHfXet(python, [multiFile]);
  await rm(multiFile);
  const oneGiBFile = path.join(work, "one-gib.bin");
  await writeSeeded(oneGiBFile, XET_LARGE_INPUTS.oneGiB);
  const [oneGiBHash] = await hashWithHfXet(python, [oneGiBFile]);

  await rm(path.join(out, "xorbs"), { recursive: true, force: true });
  await mkdir(path.join(out, "xorbs"), { recursive: true });
  await writeFile(path.join(out, "upload.shard"), small.shards[0] ?? new Uint8Array(0));
  for (const [hash, bytes] of small.xorbs) {
    await writeFile(path.join(out, "xorbs", `${hash}.xorb`), bytes);
  }
  const expected = {
    hfXet: version,
    files: inputs.map(({ name }, i) => ({ name, ...small.uploaded[i] })),
    hashFiles: small.hashed.map(({ hash }) => hash),
    xorbs: [...small.xorbs.keys()],
    multiXorb: { ...XET_LARGE_INPUTS.multiXorb, hash: multi.uploaded[0]?.hash, xorbs: [...multi.xorbs.keys()] },
    oneGiB: { ...XET_LARGE_INPUTS.oneGiB, hash: oneGiBHash },
  };
  const expectedFile = path.join(out, "expected.json");
  const style = await resolveConfig(expectedFile);
  await writeFile(expectedFile, await format(JSON.stringify(expected), { ...style, parser: "json" }));
  await writeFile(
    path.join(out, "README.md"),
    [
      "# hf_xet golden fixtures",
      "",
      `What hf_xet ${version} (the reference Xet client) uploads and reports for the seeded inputs of`,
      "`tests/helpers/xet-inputs.ts`: `upload.shard` and `xorbs/*.xorb` are the request bodies it sent to a",
      "capturing CAS on 127.0.0.1, `expected.json` its file hashes, sha256s and xorb hashes, and its hashes of the",
      "two large seeded inputs (70 MiB, two xorbs; 1 GiB). Data only, no code. Made by",
      "`XET_REFERENCE_PYTHON=/path/to/python npx tsx scripts/make-xet-fixtures.ts`; do not edit by hand. hf_xet packs",
      "files into a xorb in the order its workers finish them, so a new capture may hold another xorb (and shard) for",
      "the same inputs; the file hashes never change.",
      "",
    ].join("\n"),
  );
  process.stdout.write(`wrote ${out} (hf_xet ${version})\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}

async function writeSeeded(file: string, input: { seed: number; size: number }): Promise<void> {
  const stream = createWriteStream(file);
  for (const piece of seededPieces(input.seed, input.size, 16 * 1024 * 1024)) {
    if (!stream.write(piece)) {
      await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}
