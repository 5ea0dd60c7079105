import { requestUrl } from "../util/request-url.js";
import type { BlobSession } from "./blob-session.js";
import { HttpStatusError } from "./http-status-error.js";
import { httpStatusErrorFrom } from "./http-status-error-from.js";

const COMMIT = /\/api\/(?:models|datasets)\/.+\/commit\//;
const LFS_BATCH = /\.git\/info\/lfs\/objects\/batch$/;

export interface Tripwire {
  /** For the blobs handed to the library: their failures trip the wire. */
  session: BlobSession;
  /** Rejects with the first failure: a failed request, a failed read, an abort. Never resolves. */
  tripped: Promise<never>;
  /** Where the commit request stands: an interruption while it is "sent" may have landed. */
  commit: "not-sent" | "sent" | "answered";
  /**
   * The fetch to hand to the library. Every failure (a thrown error, an error status, a refusal
   * inside an LFS batch answer, a part without an ETag) trips the wire and the library's request
   * simply never ends, so a rejection it could lose never reaches it. `beforeCommit` runs just
   * before the commit is sent; if it throws, nothing is committed.
   */
  guard(
    fetch: typeof globalThis.fetch,
    hooks?: {
      beforeCommit?: () => Promise<void>;
      /** After a failed request: throws the real cause when it was local (a file that changed under the upload). */
      explainFailure?: () => Promise<void>;
    },
  ): typeof globalThis.fetch;
}

/** A promise that never settles: holds no timer or handle, so it keeps nothing alive. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/**
 * Makes @huggingface/hub's commitIter unable to hold the process hostage. On a failure while
 * progress events are queued, its event generator rejects a promise that was already resolved (the
 * rejection is lost and the iterator waits forever) and later rejects one nobody awaits (a stray
 * unhandled rejection). So nothing we give it ever rejects: failures go to the tripwire, which the
 * consumer races against the iterator.
 */
export function createTripwire(signal: AbortSignal | undefined): Tripwire {
  let reject: (error: unknown) => void = () => undefined;
  let failed = false;
  const tripped = new Promise<never>((_resolve, rejectTripped) => {
    reject = rejectTripped;
  });
  // The consumer may stop listening first (e.g. after an abort); a late trip must not be unhandled.
  tripped.catch(() => undefined);
  // Only the first reject counts: a promise settles once.
  const trip = (error: unknown): void => {
    failed = true;
    reject(error);
  };
  const wire: Tripwire = {
    session: { signal, fail: trip },
    tripped,
    commit: "not-sent",
    guard(fetch, hooks = {}) {
      return async (input, init) => {
        if (failed || signal?.aborted) {
          return never();
        }
        const url = requestUrl(input);
        const method = init?.method?.toUpperCase();
        const isCommit = method === "POST" && COMMIT.test(url);
        const isPut = method === "PUT";
        try {
          if (isCommit) {
            await hooks.beforeCommit?.();
            wire.commit = "sent";
          }
          const response = await fetch(input, init);
          if (isCommit) {
            wire.commit = "answered";
          }
          if (!response.ok) {
            // A file that changed while it was sent makes the storage refuse the PUT (wrong length or
            // hash): the file is the cause to report, not the server's answer.
            if (isPut) {
              await hooks.explainFailure?.();
            }
            trip(await httpStatusErrorFrom(response));
            return never();
          }
          if (LFS_BATCH.test(url)) {
            const { objects } = (await response.clone().json()) as {
              objects: Array<{ oid: string; error?: { code?: number; message?: string } }>;
            };
            const refused = objects.find((object) => object.error !== undefined);
            if (refused?.error !== undefined) {
              trip(
                new HttpStatusError(
                  refused.error.code ?? 422,
                  `the Hub refused LFS object ${refused.oid}: ${refused.error.message ?? "no reason given"}`,
                  response.headers.get("x-request-id") ?? undefined,
                ),
              );
              return never();
            }
          }
          const progressHint = (init as { progressHint?: { part?: number } } | undefined)?.progressHint;
          if (isPut && progressHint?.part !== undefined && !response.headers.get("etag")) {
            trip(new HttpStatusError(502, `the storage server accepted part ${progressHint.part + 1} without an ETag`));
            return never();
          }
          return response;
        } catch (error) {
          if (!signal?.aborted) {
            trip((await hooks.explainFailure?.().catch((cause: unknown) => cause)) ?? error);
          }
          return never();
        }
      };
    },
  };
  return wire;
}
