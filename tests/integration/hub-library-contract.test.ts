import { commitIter } from "@huggingface/hub";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildCommitBody } from "../../src/hub/commit/build-commit-body.js";
import { SourceBlob } from "../../src/hub/transport/source-blob.js";
import { uploadCommitFiles } from "../../src/hub/commit/upload-commit-files.js";
import { testdir } from "../helpers/testdir.js";

const HUB = "https://hub.test";
const TOKEN = "hf_contractTestTokenNotReal0000";

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A Hub that stores `weights.safetensors` in LFS and everything else as regular files, and records every request. */
function fakeHub(): { seen: Seen[]; fetch: typeof fetch } {
  const seen: Seen[] = [];
  const json = (value: unknown): Response =>
    new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });
  const answer = (input: string | URL | Request, init?: RequestInit): Response => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    seen.push({ url, method: init?.method ?? "GET", headers, body: init?.body });
    if (url.includes("/preupload/")) {
      const { files } = JSON.parse(init?.body as string) as { files: Array<{ path: string }> };
      return json({
        files: files.map((file) => ({
          path: file.path,
          uploadMode: file.path.endsWith(".safetensors") ? "lfs" : "regular",
        })),
      });
    }
    if (url.endsWith("/info/lfs/objects/batch")) {
      const { objects } = JSON.parse(init?.body as string) as { objects: Array<{ oid: string; size: number }> };
      return json({
        transfer: "basic",
        objects: objects.map((object) => ({ ...object, actions: { upload: { href: "https://storage.test/put" } } })),
      });
    }
    if (init?.method === "PUT") {
      return new Response(null, { status: 200 });
    }
    if (url.includes("/commit/")) {
      return json({ success: true, commitOid: "a".repeat(40), commitUrl: `${HUB}/alice/x/commit/a` });
    }
    throw new Error(`unexpected request ${url}`);
  };
  return { seen, fetch: (input, init) => Promise.resolve(answer(input, init)) };
}

/**
 * Our own commit path against @huggingface/hub's commitIter (useXet: false), for the same
 * operations: the preupload and LFS batch requests and the NDJSON commit body must be the same, byte
 * for byte, so the Hub sees no difference.
 */
describe("our commit requests are the ones @huggingface/hub's commitIter sends", () => {
  async function operations(): Promise<Array<{ path: string; content: Blob; abs?: string }>> {
    const dir = await testdir();
    const big = path.join(dir, "weights.safetensors");
    await writeFile(big, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff)));
    const blob = await SourceBlob.forFile(big, { label: "weights.safetensors" });
    return [
      { path: "weights.safetensors", content: blob, abs: blob.path },
      { path: "README.md", content: new Blob(["# card\n\nUnicode: é ✓\n"]) },
      { path: ".gitattributes", content: new Blob(["*.bin filter=lfs diff=lfs merge=lfs -text\n"]) },
    ];
  }

  async function byCommitIter(files: Array<{ path: string; content: Blob }>, createPr: boolean): Promise<Seen[]> {
    const hub = fakeHub();
    const iterator = commitIter({
      repo: { type: "model", name: "alice/x" },
      accessToken: TOKEN,
      hubUrl: HUB,
      fetch: hub.fetch,
      title: "t",
      description: "d\n\nProcess-Artifacts-Upload: n",
      useXet: false,
      branch: "main",
      isPullRequest: createPr,
      parentCommit: "b".repeat(40),
      operations: [
        ...files.map((file) => ({ operation: "addOrUpdate" as const, path: file.path, content: file.content })),
        { operation: "delete", path: "old.bin" },
      ],
    });
    let step = await iterator.next();
    while (!step.done) {
      step = await iterator.next();
    }
    return hub.seen;
  }

  async function byUs(files: Array<{ path: string; content: Blob; abs?: string }>, createPr: boolean): Promise<Seen[]> {
    const hub = fakeHub();
    const call = { hubUrl: HUB, accessToken: TOKEN, fetch: hub.fetch };
    const { lines } = await uploadCommitFiles(call, {
      repo: { type: "model", id: "alice/x" },
      branch: "main",
      isPullRequest: createPr,
      files,
    });
    await hub.fetch(`${HUB}/api/models/alice/x/commit/main${createPr ? "?create_pr=1" : ""}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/x-ndjson" },
      body: buildCommitBody({
        title: "t",
        description: "d\n\nProcess-Artifacts-Upload: n",
        parentCommit: "b".repeat(40),
        files: lines,
        deletions: ["old.bin"],
      }),
    });
    return hub.seen;
  }

  const pick = (seen: Seen[], pattern: RegExp): Seen[] =>
    seen.filter((request) => request.method === "POST" && pattern.test(request.url));

  it.each([false, true])("create_pr %s: same preupload, LFS batch and NDJSON commit", async (createPr) => {
    const files = await operations();
    const theirs = await byCommitIter(files, createPr);
    const ours = await byUs(files, createPr);

    for (const pattern of [/\/preupload\//, /\/info\/lfs\/objects\/batch$/, /\/commit\//]) {
      const expected = pick(theirs, pattern);
      expect(expected).toHaveLength(1);
      expect(pick(ours, pattern)).toEqual(expected);
    }
    // What the lines say, so a change on both sides cannot go unseen.
    const commit = pick(ours, /\/commit\//)[0];
    const lines = String(commit?.body)
      .split("\n")
      .map((line) => JSON.parse(line) as { key: string; value: Record<string, unknown> });
    expect(lines.map((line) => line.key)).toEqual(["header", "lfsFile", "file", "file", "deletedFile"]);
    expect(lines[0]?.value).toEqual({
      summary: "t",
      description: "d\n\nProcess-Artifacts-Upload: n",
      parentCommit: "b".repeat(40),
    });
    expect(lines[1]?.value).toMatchObject({ path: "weights.safetensors", algo: "sha256", size: 3000 });
    expect(lines[2]?.value).toEqual({
      content: Buffer.from("# card\n\nUnicode: é ✓\n").toString("base64"),
      path: "README.md",
      encoding: "base64",
    });
    const preupload = JSON.parse(String(pick(ours, /\/preupload\//)[0]?.body)) as { gitAttributes?: string };
    expect(preupload.gitAttributes).toBe("*.bin filter=lfs diff=lfs merge=lfs -text\n");
  });
});
