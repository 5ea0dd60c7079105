import { HubError } from "../../errors.js";
import type { Limiter } from "../../util/create-limiter.js";
import type { HubCall } from "../transport/hub-call.js";
import type { HubRepo } from "../hub-client.js";
import { HttpStatusError } from "../transport/http-status-error.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";
import type { XetGrant } from "../xet/xet-grant.js";
import {
  parseLfsBatchAnswer,
  type LfsObjectId,
  type LfsObjectPlan,
  type LfsTransfer,
} from "./parse-lfs-batch-answer.js";
import { sharedAbortController } from "../../util/shared-abort-controller.js";

const LFS_MEDIA_TYPE = "application/vnd.git-lfs+json";

/** Objects per batch request: the git-lfs batch API's usual cap, and @huggingface/hub's. */
const BATCH_SIZE = 100;

/** One file whose sha256 is known: `content` is what is sent (a SourceBlob streams from disk). */
export interface LfsFile {
  /** The path in the repo (for errors and progress). */
  path: string;
  /** sha256, lowercase hex. */
  oid: string;
  content: Blob;
}

export interface LfsFileProgress {
  path: string;
  oid: string;
  /** Bytes of this file the storage has taken so far (it may go back when a PUT is retried). */
  bytes: number;
  size: number;
}

export interface UploadLfsParams {
  repo: HubRepo;
  /** @default "main" */
  branch?: string;
  /** No `ref` is sent for a pull request (the branch does not exist yet), as @huggingface/hub does. */
  isPullRequest?: boolean;
  files: readonly LfsFile[];
  signal?: AbortSignal;
  /** Bytes sent, per file; never called for files already stored. */
  onProgress?: (progress: LfsFileProgress) => void;
  /** Files uploaded at once. @default 5 */
  fileConcurrency?: number;
  /** Parts of one multipart file uploaded at once. @default 5 */
  partConcurrency?: number;
  /** Shared by several calls at once: a file is sent only while it holds one of these slots. */
  slots?: Limiter;
  /** Each batch request has been answered (and its answer checked); its PUTs follow. */
  onBatchAnswered?: () => void;
  /**
   * Offer Xet storage too (transfer "xet", as @huggingface/hub does): the files the Hub routes to
   * Xet are handed here with the answer's grant instead of being sent, once per batch answer.
   */
  xet?: ((files: readonly LfsFile[], grant: XetGrant) => void) | undefined;
}

/** How each file went: already stored, or sent in one PUT or in parts. */
export interface LfsFileOutcome {
  path: string;
  oid: string;
  size: number;
  sent: "already-stored" | "basic" | "multipart" | "xet";
}

/**
 * Runs `tasks` with at most `limit` in flight. On the first failure no new task starts and `stop`
 * is called (so the ones in flight end early); the first failure is thrown once all have ended, so
 * no request outlives the call.
 */
async function runLimited(tasks: ReadonlyArray<() => Promise<void>>, limit: number, stop: () => void): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < tasks.length) {
      const task = tasks[next++];
      try {
        await task?.();
      } catch (error) {
        failure ??= { error };
        stop();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure !== undefined) {
    throw failure.error;
  }
}

/** The storage's refusal of a PUT or a completion, with what was being done and the batch's request id. */
async function storageError(response: Response, doing: string, batchRequestId: string | undefined): Promise<Error> {
  const error = await httpStatusErrorFrom(response);
  return new HttpStatusError(error.statusCode, `${doing}: ${error.message}`, error.requestId ?? batchRequestId);
}

/**
 * Asks the Hub's LFS batch endpoint where to send the given files (whose sha256 is already known)
 * and sends those it asks for: one PUT, or a PUT per `chunk_size` slice followed by the completion
 * POST `{oid, parts:[{partNumber, etag}]}`. Requests, headers and bodies are those of
 * @huggingface/hub's commitIter with `useXet: false`, so the Hub sees no difference. Every refusal
 * in the batch answer is reported before anything is sent; the first failure stops the others and
 * is thrown (a PUT answered with an error status, a part answered without an ETag: HttpStatusError).
 * Files with the same oid are asked for and sent once.
 */
export async function uploadLfsObjects(call: HubCall, params: UploadLfsParams): Promise<LfsFileOutcome[]> {
  const { repo, files, onProgress } = params;
  const branch = params.branch ?? "main";
  const stopper = sharedAbortController();
  const onAbort = (): void => stopper.abort(params.signal?.reason);
  params.signal?.throwIfAborted();
  params.signal?.addEventListener("abort", onAbort, { once: true });
  const signal = stopper.signal;
  const stop = (): void => stopper.abort(new Error("another LFS upload failed"));

  const byOid = new Map<string, LfsFile[]>();
  for (const file of files) {
    byOid.set(file.oid, [...(byOid.get(file.oid) ?? []), file]);
  }
  const sent = new Map<string, LfsFileOutcome["sent"]>();
  const report = (oid: string, bytes: number, size: number): void => {
    for (const file of byOid.get(oid) ?? []) {
      onProgress?.({ path: file.path, oid, bytes, size });
    }
  };

  const batchUrl = `${call.hubUrl}/${repo.type === "model" ? "" : `${repo.type}s/`}${repo.id}.git/info/lfs/objects/batch`;

  const transfers: LfsTransfer[] = params.xet === undefined ? ["basic", "multipart"] : ["basic", "multipart", "xet"];
  const askBatch = async (objects: LfsObjectId[]): Promise<{ plans: LfsObjectPlan[]; requestId?: string }> => {
    const response = await call.fetch(batchUrl, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${call.accessToken}`,
        Accept: LFS_MEDIA_TYPE,
        "Content-Type": LFS_MEDIA_TYPE,
      },
      body: JSON.stringify({
        operation: "upload",
        transfers,
        hash_algo: "sha_256",
        ...(params.isPullRequest === true ? {} : { ref: { name: branch } }),
        objects,
      }),
      signal,
    });
    if (!response.ok) {
      throw await httpStatusErrorFrom(response);
    }
    const requestId = response.headers.get("x-request-id") ?? undefined;
    const text = await response.text();
    let answer: unknown;
    try {
      answer = JSON.parse(text) as unknown;
    } catch {
      throw new HubError("The Hub's answer to the LFS batch request is malformed: it is not JSON", {
        hint: "Nothing was uploaded from it; check HF_ENDPOINT (a proxy or a login page?) and run again",
        statusCode: response.status,
        ...(requestId === undefined ? {} : { requestId }),
      });
    }
    const plans = [...parseLfsBatchAnswer(objects, answer, transfers).values()];
    const refused = plans.find((plan) => plan.kind === "error");
    if (refused !== undefined) {
      const path = byOid.get(refused.oid)?.[0]?.path ?? refused.oid;
      throw new HttpStatusError(
        refused.code,
        `the Hub refused the LFS object of ${path} (${refused.oid}): ${refused.message}`,
        requestId,
      );
    }
    return { plans, ...(requestId === undefined ? {} : { requestId }) };
  };

  const putBasic = async (content: Blob, href: string, oid: string, requestId: string | undefined): Promise<void> => {
    const path = byOid.get(oid)?.[0]?.path ?? oid;
    report(oid, 0, content.size);
    const response = await call.fetch(href, {
      method: "PUT",
      headers: requestId === undefined ? {} : { "X-Request-Id": requestId },
      body: content,
      signal,
      // Read by our fetch (create-hub-fetch) for byte-level progress, as it reads commitIter's.
      ...{
        progressHint: {
          path,
          progressCallback: (fraction: number) => report(oid, Math.round(fraction * content.size), content.size),
        },
      },
    });
    if (!response.ok) {
      throw await storageError(response, `uploading ${path} to LFS storage`, requestId);
    }
    report(oid, content.size, content.size);
  };

  const putMultipart = async (
    content: Blob,
    plan: Extract<LfsObjectPlan, { kind: "multipart" }>,
    requestId: string | undefined,
  ): Promise<void> => {
    const path = byOid.get(plan.oid)?.[0]?.path ?? plan.oid;
    const { chunkSize, partUrls } = plan;
    const partBytes = partUrls.map(() => 0);
    const etags = partUrls.map(() => "");
    const progress = (): void =>
      report(
        plan.oid,
        partBytes.reduce((sum, bytes) => sum + bytes, 0),
        content.size,
      );
    progress();
    await runLimited(
      partUrls.map((url, index) => async () => {
        const slice = content.slice(index * chunkSize, (index + 1) * chunkSize);
        const response = await call.fetch(url, {
          method: "PUT",
          body: slice,
          signal,
          ...{
            progressHint: {
              path,
              part: index,
              numParts: partUrls.length,
              progressCallback: (fraction: number) => {
                partBytes[index] = Math.round(fraction * slice.size);
                progress();
              },
            },
          },
        });
        if (!response.ok) {
          throw await storageError(response, `uploading part ${index + 1} of ${path} to LFS storage`, requestId);
        }
        const etag = response.headers.get("etag");
        if (etag === null || etag === "") {
          throw new HttpStatusError(
            502,
            `the storage server accepted part ${index + 1} of ${path} without an ETag`,
            requestId,
          );
        }
        etags[index] = etag;
        partBytes[index] = slice.size;
        progress();
      }),
      params.partConcurrency ?? 5,
      stop,
    );
    const response = await call.fetch(plan.completionHref, {
      method: "POST",
      body: JSON.stringify({
        oid: plan.oid,
        parts: etags.map((etag, index) => ({ partNumber: index + 1, etag })),
      }),
      headers: { Accept: LFS_MEDIA_TYPE, "Content-Type": LFS_MEDIA_TYPE },
      signal,
    });
    if (!response.ok) {
      throw await storageError(response, `completing the multipart upload of ${path} to LFS storage`, requestId);
    }
  };

  try {
    const unique = [...byOid.entries()].map(([oid, same]) => ({ oid, content: (same[0] as LfsFile).content }));
    for (let start = 0; start < unique.length; start += BATCH_SIZE) {
      const chunk = unique.slice(start, start + BATCH_SIZE);
      const { plans, requestId } = await askBatch(chunk.map(({ oid, content }) => ({ oid, size: content.size })));
      const toXet = plans.filter((plan) => plan.kind === "xet");
      const [first] = toXet;
      if (first !== undefined) {
        params.xet?.(
          toXet.flatMap((plan) => byOid.get(plan.oid) ?? []),
          first.grant,
        );
        for (const plan of toXet) {
          sent.set(plan.oid, "xet");
        }
      }
      params.onBatchAnswered?.();
      await runLimited(
        plans.map((plan, index) => async () => {
          const content = (chunk[index] as { content: Blob }).content;
          if (plan.kind === "xet") {
            return;
          }
          if (plan.kind !== "present") {
            const release = await params.slots?.acquire();
            try {
              signal.throwIfAborted();
              if (plan.kind === "basic") {
                await putBasic(content, plan.href, plan.oid, requestId);
              } else if (plan.kind === "multipart") {
                await putMultipart(content, plan, requestId);
              }
            } finally {
              release?.();
            }
          }
          sent.set(
            plan.oid,
            plan.kind === "present" ? "already-stored" : plan.kind === "basic" ? "basic" : "multipart",
          );
        }),
        params.fileConcurrency ?? 5,
        stop,
      );
    }
  } finally {
    params.signal?.removeEventListener("abort", onAbort);
  }
  return files.map((file) => ({
    path: file.path,
    oid: file.oid,
    size: file.content.size,
    sent: sent.get(file.oid) ?? "already-stored",
  }));
}
