import http from "node:http";
import https from "node:https";
import { pipeline } from "node:stream/promises";
import { requestUrl } from "../util/request-url.js";
import { SourceBlob } from "./source-blob.js";

/** The @huggingface/hub client passes this in the init of LFS PUTs (commit.ts); we report bytes through it. */
interface ProgressHint {
  progressCallback?: (progress: number) => void;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      headers.append(name, item);
    }
  }
  return headers;
}

/**
 * Sends a file range as a PUT body straight from disk with node:http(s): an explicit Content-Length
 * (presigned storage URLs need one), bounded memory, byte-level progress. Redirects are not followed,
 * as a storage PUT never legitimately redirects.
 */
async function streamPut(
  url: string,
  init: RequestInit,
  blob: SourceBlob,
  idleTimeoutMs: number | undefined,
): Promise<Response> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  headers["content-length"] = String(blob.size);
  const progress = (init as { progressHint?: ProgressHint }).progressHint?.progressCallback;

  return new Promise<Response>((resolve, reject) => {
    const request = transport.request(
      target,
      { method: "PUT", headers, signal: init.signal ?? undefined },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const status = response.statusCode ?? 502;
          resolve(
            new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: response.statusMessage ?? "",
              headers: toHeaders(response.headers),
            }),
          );
        });
      },
    );
    request.on("error", reject);
    if (idleTimeoutMs !== undefined && idleTimeoutMs > 0) {
      // An idle timeout, not a total one: a multi-GB PUT may take long, but never stall for this long.
      request.setTimeout(idleTimeoutMs, () => {
        request.destroy(Object.assign(new Error(`no progress for ${idleTimeoutMs} ms`), { code: "ETIMEDOUT" }));
      });
    }
    const source = blob.createReadStream();
    if (progress !== undefined && blob.size > 0) {
      let sent = 0;
      source.on("data", (chunk: Buffer) => {
        sent += chunk.length;
        progress(sent / blob.size);
      });
    }
    pipeline(source, request).catch(reject);
  });
}

export interface HubFetchOptions {
  /** Used for every request that is not a streamed file PUT. Defaults to the global fetch (which msw intercepts). */
  baseFetch?: typeof fetch;
  /** Aborts every request, including those the client sends without a signal of its own (whoAmI, createRepo). */
  signal?: AbortSignal;
  /** Per-request time limit (for file PUTs: the longest time without progress). */
  timeoutMs?: number;
}

/**
 * The single network seam for everything the Hub client sends. File PUTs stream from disk; all other
 * requests go to `baseFetch`. Retries and timeouts wrap this function, not the client.
 */
export function createHubFetch(options: HubFetchOptions = {}): typeof fetch {
  const hubFetch = (input: string | URL | Request, requestInit?: RequestInit): Promise<Response> => {
    const baseFetch = options.baseFetch ?? globalThis.fetch;
    const isFilePut = requestInit?.method === "PUT" && requestInit.body instanceof SourceBlob;
    const timeout = !isFilePut && options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
    const signals = [requestInit?.signal, options.signal, timeout].filter(
      (signal): signal is AbortSignal => signal != null,
    );
    const init: RequestInit | undefined =
      signals.length === 0
        ? requestInit
        : { ...requestInit, signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) };
    if (init?.method === "PUT" && init.body instanceof SourceBlob) {
      return streamPut(requestUrl(input), init, init.body, options.timeoutMs);
    }
    return baseFetch(input, init);
  };
  return hubFetch;
}
