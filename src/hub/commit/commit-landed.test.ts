import { describe, expect, it } from "vitest";
import { gitBlobSha1 } from "../../util/git-blob-sha1.js";
import { commitLanded, type CommitOperationLine } from "./commit-landed.js";
import type { RemoteFile } from "../diff-against-remote.js";

const SHA256 = "a".repeat(64);
const README = "# model\n";
const readme: RemoteFile = { size: 8, oid: gitBlobSha1(Buffer.from(README)), lfsSha256: undefined };
const weights: RemoteFile = { size: 1000, oid: "p".repeat(40), lfsSha256: SHA256 };

const file = (content: string, encoding?: string): CommitOperationLine => ({
  key: "file",
  value: { path: "README.md", content, ...(encoding === undefined ? {} : { encoding }) },
});
const lfsFile = (oid: string, size: number): CommitOperationLine => ({
  key: "lfsFile",
  value: { path: "w.safetensors", oid, size },
});
const deletedFile = (path: string): CommitOperationLine => ({ key: "deletedFile", value: { path } });

describe("commitLanded", () => {
  it.each<[string, CommitOperationLine[], Record<string, RemoteFile>, boolean]>([
    ["nothing to write", [], {}, true],
    ["the header line is not a file", [{ key: "header", value: {} }], {}, true],
    ["an inline file with our content", [file(README)], { "README.md": readme }, true],
    ["an inline file, base64", [file(Buffer.from(README).toString("base64"), "base64")], { "README.md": readme }, true],
    [
      "an inline file, base64 read as text",
      [file(Buffer.from(README).toString("base64"))],
      { "README.md": readme },
      false,
    ],
    ["an inline file with other content", [file("# other\n")], { "README.md": readme }, false],
    ["an inline file that is not there", [file(README)], {}, false],
    ["an inline file stored in LFS", [file(README)], { "README.md": { ...readme, lfsSha256: SHA256 } }, false],
    ["an inline file without a path", [{ key: "file", value: { content: README } }], { "README.md": readme }, false],
    ["an empty inline file", [file("")], { "README.md": { ...readme, oid: gitBlobSha1(new Uint8Array()) } }, true],
    [
      "an inline file without content is empty",
      [{ key: "file", value: { path: "README.md" } }],
      { "README.md": { ...readme, oid: gitBlobSha1(new Uint8Array()) } },
      true,
    ],
    ["an LFS file with our sha256 and size", [lfsFile(SHA256, 1000)], { "w.safetensors": weights }, true],
    ["an LFS file with another sha256", [lfsFile("b".repeat(64), 1000)], { "w.safetensors": weights }, false],
    ["an LFS file with another size", [lfsFile(SHA256, 999)], { "w.safetensors": weights }, false],
    ["an LFS file that is not there", [lfsFile(SHA256, 1000)], {}, false],
    [
      "an LFS line without sha256 or size, not there",
      [{ key: "lfsFile", value: { path: "w.safetensors" } }],
      { "README.md": readme },
      false,
    ],
    ["a deleted file that is gone", [deletedFile("old.bin")], { "README.md": readme }, true],
    ["a deleted file still there", [deletedFile("README.md")], { "README.md": readme }, false],
    [
      "every operation holds but one",
      [file(README), lfsFile(SHA256, 1000), deletedFile("README.md")],
      { "README.md": readme, "w.safetensors": weights },
      false,
    ],
    [
      "every operation holds",
      [file(README), lfsFile(SHA256, 1000), deletedFile("old.bin")],
      { "README.md": readme, "w.safetensors": weights },
      true,
    ],
  ])("%s → %s", (_name, operations, remote, landed) => {
    expect(commitLanded(operations, new Map(Object.entries(remote)))).toBe(landed);
  });
});
