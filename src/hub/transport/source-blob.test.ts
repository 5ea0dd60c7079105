import { rename, symlink, utimes, writeFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runToCompletion } from "../../../tests/helpers/run-to-completion.js";
import { testdir } from "../../../tests/helpers/testdir.js";
import { FileChangedError, LocalFileError } from "../../errors.js";
import { fileIdentity } from "../../util/file-identity.js";
import { SourceBlob } from "./source-blob.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

async function readStream(blob: SourceBlob): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of blob.createReadStream()) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

describe("SourceBlob reads only the file that was checked", () => {
  it("reads ranges, slices and whole files through every Blob method", async () => {
    const dir = await testdir({ "a.txt": "0123456789" });
    const blob = await SourceBlob.forFile(path.join(dir, "a.txt"), { label: "a.txt", size: 10 });
    expect(blob.size).toBe(10);
    expect(await blob.text()).toBe("0123456789");
    expect(await blob.slice(2, 5).text()).toBe("234");
    expect((await readStream(blob.slice(7))).toString()).toBe("789");
    expect((await readStream(blob.slice(4, 4))).toString()).toBe("");
    const web = blob.stream().getReader();
    const first = await web.read();
    expect(Buffer.from(first.value ?? []).toString()).toBe("0123456789");
  });

  it("refuses a file whose size differs from the one staged, or whose identity differs from the one given", async () => {
    const dir = await testdir({ "a.txt": "abc" });
    const file = path.join(dir, "a.txt");
    await expect(SourceBlob.forFile(file, { label: "x/a.txt", size: 4 })).rejects.toThrow(
      "x/a.txt changed while it was being uploaded",
    );
    const expected = await fileIdentity(file);
    await writeFile(file, "abd");
    await expect(SourceBlob.forFile(file, { label: "x/a.txt", expected })).rejects.toBeInstanceOf(FileChangedError);
  });

  it("an in-place edit after the blob was made (even with the mtime put back) is refused at read time", async () => {
    const dir = await testdir({ "a.txt": "same size" });
    const file = path.join(dir, "a.txt");
    const before = await stat(file);
    const blob = await SourceBlob.forFile(file, { label: "a.txt" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(file, "SAME SIZE");
    await utimes(file, before.atime, before.mtime);

    const error = await blob.arrayBuffer().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileChangedError);
    expect((error as Error).message).toBe("a.txt changed while it was being uploaded");
    await expect(readStream(blob)).rejects.toBeInstanceOf(FileChangedError);
  });

  it("a file truncated while its stream is read fails the stream, it does not end short", async () => {
    const dir = await testdir();
    const file = path.join(dir, "big.bin");
    await writeFile(file, Buffer.alloc(3 * 1024 * 1024, 1));
    const blob = await SourceBlob.forFile(file, { label: "big.bin" });
    const stream = blob.createReadStream();
    const seen: number[] = [];
    const done = (async () => {
      for await (const chunk of stream) {
        seen.push((chunk as Buffer).length);
        if (seen.length === 1) {
          await writeFile(file, "short");
        }
      }
    })();
    await expect(done).rejects.toBeInstanceOf(FileChangedError);
    expect(seen.reduce((a, b) => a + b, 0)).toBeLessThan(3 * 1024 * 1024);
  });

  it("a file swapped for a symbolic link after the blob was made is not followed", async () => {
    const dir = await testdir({ "run/a.txt": "inside", "outside/secret.txt": "outside" });
    const file = path.join(dir, "run", "a.txt");
    const blob = await SourceBlob.forFile(file, { label: "a.txt" });
    await rename(file, path.join(dir, "run", "old.txt"));
    await symlink(path.join(dir, "outside", "secret.txt"), file);

    await expect(blob.text()).rejects.toBeInstanceOf(FileChangedError);
    await expect(readStream(blob)).rejects.toBeInstanceOf(FileChangedError);
  });

  it("a validated link inside the run is read through its target; a file that vanished is a changed file", async () => {
    const dir = await testdir({ "run/real.txt": "target" });
    await symlink(path.join(dir, "run", "real.txt"), path.join(dir, "run", "link.txt"));
    const blob = await SourceBlob.forFile(path.join(dir, "run", "link.txt"), { label: "link.txt" });
    expect(await blob.text()).toBe("target");
    await expect(SourceBlob.forFile(path.join(dir, "run", "gone.txt"), { label: "gone.txt" })).rejects.toThrow(
      "gone.txt changed while it was being uploaded",
    );
  });

  it("a file that cannot be read is a local problem naming its path, not a network one", async () => {
    // Tests run as root, who may read any file whatever its mode: a folder where a file was expected fails the read instead.
    const dir = await testdir({ "a.txt": "x" });
    const blob = await SourceBlob.forFile(dir, { label: "dir" });
    const failed = await blob.arrayBuffer().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(LocalFileError);
    expect((failed as LocalFileError).message).toBe(`Could not read ${dir} for the upload (EISDIR)`);
    expect((failed as LocalFileError).exitCode).toBe(1);
  });

  it("openReader fills the caller's buffers with the range in order, then reads 0", async () => {
    const dir = await testdir({ "a.txt": "0123456789" });
    const blob = await SourceBlob.forFile(path.join(dir, "a.txt"));
    const reader = await blob.slice(1, 9).openReader();
    const into = new Uint8Array(3);
    const parts: string[] = [];
    for (let bytes = await reader.read(into); bytes > 0; bytes = await reader.read(into)) {
      parts.push(Buffer.from(into.subarray(0, bytes)).toString());
    }
    expect(await reader.read(into)).toBe(0);
    await reader.close();
    await reader.close();
    expect(parts).toEqual(["123", "456", "78"]);
    await expect(reader.read(into)).rejects.toThrow("read after close");
  });

  it("openReader checks the file before it hands out the last bytes: an edit meanwhile fails that read", async () => {
    const dir = await testdir({ "a.txt": "abcdef" });
    const file = path.join(dir, "a.txt");
    const blob = await SourceBlob.forFile(file, { label: "a.txt" });
    const reader = await blob.openReader();
    const into = new Uint8Array(4);
    expect(await reader.read(into)).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(file, "ABCDEF");

    await expect(reader.read(into)).rejects.toBeInstanceOf(FileChangedError);
    await reader.close();
  });

  it("stream() hands over 1 MiB chunks, each in a buffer of its own", async () => {
    const content = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 3 }, (_, i) => (i * 31) & 0xff));
    const dir = await testdir({ "w.bin": content });
    const blob = await SourceBlob.forFile(path.join(dir, "w.bin"));
    const chunks: Uint8Array[] = [];
    for await (const chunk of blob.stream()) {
      chunks.push(chunk);
    }
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([1024 * 1024, 1024 * 1024, 1024 * 1024, 3]);
    expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(4);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });

  it("stream() errors with FileChangedError when the file ends early, instead of ending short", async () => {
    const dir = await testdir();
    const file = path.join(dir, "w.bin");
    await writeFile(file, Buffer.alloc(5 * 1024 * 1024, 1));
    const blob = await SourceBlob.forFile(file, { label: "w.bin" });
    const reader = blob.stream().getReader();
    expect((await reader.read()).value?.byteLength).toBe(1024 * 1024);
    await writeFile(file, "short");

    // The next chunk may already have been read ahead before the truncation: what is guaranteed is
    // that the stream fails before it ends, never that the very next read does.
    const drain = async (): Promise<void> => {
      while (!(await reader.read()).done) {
        // keep reading
      }
    };
    await expect(drain()).rejects.toBeInstanceOf(FileChangedError);
  });

  it("5,000 concurrent reads of distinct files succeed under a 256 open-file limit", { timeout: 120_000 }, async () => {
    const dir = await testdir();
    const script = path.join(dir, "many-reads.mts");
    await writeFile(
      script,
      `
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { SourceBlob } from ${JSON.stringify(path.join(ROOT, "src", "hub", "transport", "source-blob.ts"))};
const dir = path.join(${JSON.stringify(dir)}, "files");
await mkdir(dir);
const count = 5000;
const names = Array.from({ length: count }, (_, i) => path.join(dir, "f" + i + ".txt"));
for (const [i, name] of names.entries()) {
  await writeFile(name, "content " + i);
}
const blobs = [];
for (const [i, name] of names.entries()) {
  blobs.push(await SourceBlob.forFile(name, { label: "f" + i }));
}
const texts = await Promise.all(
  blobs.map(async (blob, i) => {
    if (i % 2 === 0) {
      return blob.text();
    }
    const chunks = [];
    for await (const chunk of blob.stream()) {
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString();
  }),
);
const wrong = texts.filter((text, i) => text !== "content " + i).length;
process.stdout.write(JSON.stringify({ read: texts.length, wrong }));
`,
    );
    const result = await runToCompletion(
      "bash",
      ["-c", `ulimit -n 256 && exec "${process.execPath}" --import tsx "${script}"`],
      { cwd: ROOT, env: { PATH: "/usr/bin:/bin" } },
    );

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ read: 5000, wrong: 0 });
  });
});
