import { HubError } from "../../errors.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo } from "../hub-client.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";

/** Files per preupload request, as @huggingface/hub's commitIter sends them. */
const PREUPLOAD_SIZE = 100;

export interface PreuploadParams {
  repo: HubRepo;
  branch: string;
  isPullRequest: boolean;
  /** In commit order; `content` gives the size and the 512-byte sample. */
  files: ReadonlyArray<{ path: string; content: Blob }>;
  signal?: AbortSignal | undefined;
}

/**
 * Asks the Hub how it stores each file (`lfs` or `regular`), with the request commitIter sends:
 * `{gitAttributes?, files: [{path, size, sample}]}` per 100 files, `sample` the base64 of the first
 * 512 bytes, `gitAttributes` the text of a `.gitattributes` in the commit. The requests are sent at
 * once rather than one after the other. A file the answer leaves out is not stored in LFS (as commitIter reads it).
 */
export async function preuploadFiles(call: HubCall, params: PreuploadParams): Promise<Map<string, "lfs" | "regular">> {
  const { repo, branch, files, signal } = params;
  const attributes = files.find((file) => file.path === ".gitattributes");
  const gitAttributes = attributes === undefined ? undefined : await attributes.content.text();
  const url =
    `${call.hubUrl}/api/${repo.type}s/${repo.id}/preupload/${encodeURIComponent(branch)}` +
    (params.isPullRequest ? "?create_pr=1" : "");
  const chunks: Array<typeof files> = [];
  for (let start = 0; start < files.length; start += PREUPLOAD_SIZE) {
    chunks.push(files.slice(start, start + PREUPLOAD_SIZE));
  }
  const modes = new Map<string, "lfs" | "regular">(files.map((file) => [file.path, "regular"]));
  await Promise.all(
    chunks.map(async (chunk) => {
      const payload = {
        gitAttributes,
        files: await Promise.all(
          chunk.map(async (file) => ({
            path: file.path,
            size: file.content.size,
            sample: Buffer.from(await file.content.slice(0, 512).arrayBuffer()).toString("base64"),
          })),
        ),
      };
      signal?.throwIfAborted();
      const response = await call.fetch(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${call.accessToken}`, "Content-Type": "application/json" },
        body: JSON.stringify(payload),
        ...(signal === undefined ? {} : { signal }),
      });
      if (!response.ok) {
        throw await httpStatusErrorFrom(response);
      }
      const answer = (await response.json()) as { files?: Array<{ path: string; uploadMode: string }> };
      if (!Array.isArray(answer.files)) {
        throw new HubError("The Hub's answer to the preupload request has no files");
      }
      for (const file of answer.files) {
        if (file.uploadMode === "lfs" && modes.has(file.path)) {
          modes.set(file.path, "lfs");
        }
      }
    }),
  );
  return modes;
}
