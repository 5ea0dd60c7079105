import http from "node:http";
import https from "node:https";
import { HubError, ProcessArtifactsError } from "../../errors.js";
import { describeEndpoint } from "../../util/describe-endpoint.js";
import { requestUrl } from "../../util/request-url.js";
import { SourceBlob, type RangeReader } from "./source-blob.js";

/** The @huggingface/hub client passes this in the init of LFS PUTs (commit.ts); we report bytes through it. */
interface ProgressHint {
  progressCallback?: (progress: number) => void;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Same-origin redirects a GET may follow (the Hub redirects renamed repos) before we call it a loop. */
const MAX_REDIRECTS = 5;

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

/** A connection error with a code, as node:http raises them, so the retry loop treats it like any dropped connection. */
function connectionError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * The time limit of one attempt, held by us: a timer and a controller we keep references to (an
 * `AbortSignal.timeout` inside `AbortSignal.any` can be garbage-collected on Node 20 and never fire).
 * The caller's signals abort it too; `dispose` clears the timer and the listeners.
 */
function holdAttempt(
  signals: ReadonlyArray<AbortSignal | null | undefined>,
  timeoutMs: number | undefined,
): { signal: AbortSignal; timedOut: () => Error | undefined; dispose: () => void } {
  const controller = new AbortController();
  let timeout: Error | undefined;
  const timer =
    timeoutMs !== undefined && timeoutMs > 0
      ? setTimeout(() => {
          timeout = Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), {
            name: "TimeoutError",
            code: "ETIMEDOUT",
          });
          controller.abort(timeout);
        }, timeoutMs)
      : undefined;
  const listeners: Array<() => void> = [];
  for (const signal of signals) {
    if (signal == null) {
      continue;
    }
    if (signal.aborted) {
      controller.abort(signal.reason);
      continue;
    }
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    listeners.push(() => signal.removeEventListener("abort", onAbort));
  }
  return {
    signal: controller.signal,
    timedOut: () => timeout,
    dispose: () => {
      clearTimeout(timer);
      for (const remove of listeners) {
        remove();
      }
    },
  };
}

/**
 * node:http's connection failures carry a code (ECONNREFUSED, ENOTFOUND…); one without (a connect
 * refused by a hook, say) is reported the way fetch reports a failed connection, so it is still
 * told apart from a failure of ours.
 */
function asNetworkError(error: Error): Error {
  if (
    error instanceof ProcessArtifactsError ||
    error.name === "AbortError" ||
    typeof (error as NodeJS.ErrnoException).code === "string"
  ) {
    return error;
  }
  return new TypeError("fetch failed", { cause: error });
}

/**
 * One request over node:http(s), its whole answer read before it resolves: `writeBody` sends the
 * body and ends the request. With `idleTimeoutMs`, a connection without progress for that long
 * fails (the total limit, if any, comes through `signal`). A connection that closes before the
 * answer is complete is a connection error (ECONNRESET), so the retry loop treats it as one.
 */
function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  writeBody: (request: http.ClientRequest) => Promise<void>,
  idleTimeoutMs?: number,
): Promise<Response> {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const onResponse = (response: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let ended = false;
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("close", () => {
        if (!ended) {
          reject(connectionError("the connection closed before the answer was complete", "ECONNRESET"));
        }
      });
      response.on("end", () => {
        ended = true;
        const status = response.statusCode ?? 502;
        const body = NULL_BODY_STATUSES.has(status) || method === "HEAD" ? null : Buffer.concat(chunks);
        const answer = new Response(body, {
          status,
          statusText: response.statusMessage ?? "",
          headers: toHeaders(response.headers),
        });
        Object.defineProperty(answer, "url", { value: url.href });
        resolve(answer);
      });
    };
    let request: http.ClientRequest;
    try {
      request = transport.request(url, { method, headers, signal }, onResponse);
    } catch (error) {
      // A connection refused before the request exists (a hook on connect) is thrown, not emitted.
      reject(asNetworkError(error as Error));
      return;
    }
    request.on("error", (error) => reject(asNetworkError(error)));
    if (idleTimeoutMs !== undefined && idleTimeoutMs > 0) {
      request.setTimeout(idleTimeoutMs, () => {
        request.destroy(connectionError(`no progress for ${idleTimeoutMs} ms`, "ETIMEDOUT"));
      });
    }
    writeBody(request).catch((error: Error) => {
      request.destroy(error);
      reject(error);
    });
  });
}

function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/**
 * Sends a file range as a PUT body straight from disk: an explicit Content-Length (presigned
 * storage URLs need one), bounded memory, byte-level progress. Its limit is an idle one, not a
 * total one: a multi-GB PUT may take long, but never stall for `idleTimeoutMs`. A body that ends
 * early (the file was truncated) fails the request at once instead of leaving it waiting.
 */
function streamPut(
  url: URL,
  init: RequestInit,
  blob: SourceBlob,
  idleTimeoutMs: number | undefined,
  signal: AbortSignal,
): Promise<Response> {
  const headers = headerRecord(init.headers);
  headers["content-length"] = String(blob.size);
  const progress = (init as { progressHint?: ProgressHint }).progressHint?.progressCallback;
  return exchange(url, "PUT", headers, signal, (request) => sendBody(request, blob, progress), idleTimeoutMs);
}

/**
 * Sends bytes already in memory as a request body (a xorb, a shard) the way a file PUT is sent: an
 * explicit Content-Length, byte-level progress as the socket takes them, and an idle limit instead of
 * a total one, so a 64 MiB body on a slow link is not cut off while it still moves.
 */
function streamBytes(
  url: URL,
  method: string,
  init: RequestInit,
  bytes: Uint8Array,
  idleTimeoutMs: number | undefined,
  signal: AbortSignal,
): Promise<Response> {
  const headers = headerRecord(init.headers);
  headers["content-length"] = String(bytes.byteLength);
  const progress = (init as { progressHint?: ProgressHint }).progressHint?.progressCallback;
  return exchange(
    url,
    method,
    headers,
    signal,
    async (request) => {
      let sent = 0;
      for (let at = 0; at < bytes.byteLength; at += MIN_SEND_CHUNK) {
        const part = bytes.subarray(at, at + MIN_SEND_CHUNK);
        const flushed = request.write(part, (error) => {
          if (error == null) {
            sent += part.byteLength;
            progress?.(sent / bytes.byteLength);
          }
        });
        if (!flushed) {
          await drained(request);
        }
      }
      request.end();
    },
    idleTimeoutMs,
  );
}

/**
 * A request body as bytes, with the content type fetch would give it, or undefined for a body
 * only fetch itself knows how to send (a stream, form data).
 */
async function bodyBytes(
  body: RequestInit["body"],
): Promise<{ bytes: Uint8Array | undefined; type: string | undefined } | undefined> {
  if (body == null) {
    return { bytes: undefined, type: undefined };
  }
  if (typeof body === "string") {
    return { bytes: Buffer.from(body), type: "text/plain;charset=UTF-8" };
  }
  if (body instanceof URLSearchParams) {
    return { bytes: Buffer.from(body.toString()), type: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  if (body instanceof ArrayBuffer) {
    return { bytes: new Uint8Array(body), type: undefined };
  }
  if (ArrayBuffer.isView(body)) {
    return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), type: undefined };
  }
  if (body instanceof Blob) {
    return { bytes: new Uint8Array(await body.arrayBuffer()), type: body.type === "" ? undefined : body.type };
  }
  return undefined;
}

/**
 * Sends an ordinary request (JSON, NDJSON, a small in-memory body) over node:http(s), or returns
 * undefined when it cannot (a Request object, a streamed body): node:http costs a fraction of the
 * CPU of Node 20's fetch, whose first call compiles undici and its WebAssembly HTTP parser.
 */
async function sendPlain(
  input: string | URL | Request,
  init: RequestInit | undefined,
  url: URL,
  method: string,
  signal: AbortSignal,
): Promise<Response | undefined> {
  if (input instanceof Request) {
    return undefined;
  }
  const body = await bodyBytes(init?.body);
  if (body === undefined) {
    return undefined;
  }
  const headers = headerRecord(init?.headers);
  headers["accept"] ??= "*/*";
  if (body.bytes !== undefined) {
    headers["content-length"] = String(body.bytes.byteLength);
    if (body.type !== undefined) {
      headers["content-type"] ??= body.type;
    }
  }
  return exchange(url, method, headers, signal, (request) => {
    request.end(body.bytes);
    return Promise.resolve();
  });
}

/**
 * Send buffers shared by the PUTs in flight: each PUT holds two (one being sent, one being read),
 * of this budget's share, between 1 and 4 MiB. Large chunks make the per-chunk work (a read, a
 * write, a progress event) negligible; the budget keeps 25 parallel multipart PUTs bounded too.
 */
const SEND_BUDGET = 32 * 1024 * 1024;
const MIN_SEND_CHUNK = 1024 * 1024;
const MAX_SEND_CHUNK = 4 * 1024 * 1024;
let putsInFlight = 0;

/**
 * Writes the blob's bytes into the request, reading the next chunk while the current one is sent.
 * A buffer is read into again only after the socket reported it written (its write callback), so
 * no chunk is ever overwritten while it is queued; a write held longer (an interceptor that
 * buffers) just means a new buffer. Memory is bounded by the request's backpressure.
 */
async function sendBody(
  request: http.ClientRequest,
  blob: SourceBlob,
  progress: ((fraction: number) => void) | undefined,
): Promise<void> {
  putsInFlight++;
  const share = Math.floor(SEND_BUDGET / (2 * putsInFlight) / MIN_SEND_CHUNK) * MIN_SEND_CHUNK;
  const chunkBytes = Math.max(1, Math.min(blob.size, Math.max(MIN_SEND_CHUNK, Math.min(MAX_SEND_CHUNK, share))));
  const free: Buffer[] = [];
  let reader: RangeReader | undefined;
  try {
    reader = await blob.openReader();
    const opened = reader;
    const readNext = async (): Promise<{ buffer: Buffer; bytes: number }> => {
      const buffer = free.pop() ?? Buffer.allocUnsafeSlow(chunkBytes);
      return { buffer, bytes: await opened.read(buffer) };
    };
    let sent = 0;
    let next = readNext();
    for (;;) {
      const { buffer, bytes } = await next;
      if (bytes === 0) {
        break;
      }
      next = readNext();
      // A read that fails while we wait for the socket is reported by the loop, not as unhandled.
      next.catch(() => undefined);
      const flushed = request.write(buffer.subarray(0, bytes), (error) => {
        if (error == null) {
          free.push(buffer);
          sent += bytes;
          progress?.(sent / blob.size);
        }
      });
      if (!flushed) {
        await drained(request);
      }
    }
    request.end();
  } finally {
    putsInFlight--;
    await reader?.close();
  }
}

/** Resolves when the request can take more data; rejects when it closes or fails first. */
function drained(request: http.ClientRequest): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (request.destroyed) {
      reject(connectionError("the connection closed while the upload was sent", "ECONNRESET"));
      return;
    }
    const done = (error?: Error): void => {
      request.off("drain", onDrain);
      request.off("close", onClose);
      request.off("error", done);
      if (error === undefined) {
        resolve();
      } else {
        reject(error);
      }
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(connectionError("the connection closed while the upload was sent", "ECONNRESET"));
    request.on("drain", onDrain);
    request.on("close", onClose);
    request.on("error", done);
  });
}

export interface HubFetchOptions {
  /**
   * Used for every request that is not a streamed file PUT. Without it, requests go over
   * node:http(s) (which msw intercepts too), and only those it cannot send (a Request object, a
   * streamed body) go to the global fetch.
   */
  baseFetch?: typeof fetch;
  /** Aborts every request, including those the client sends without a signal of its own (whoAmI, createRepo). */
  signal?: AbortSignal;
  /**
   * Limit of one attempt: headers and the whole body must arrive within it. For file PUTs, the
   * longest time without progress instead.
   */
  timeoutMs?: number;
  /** The Hub's origin, so error lines show its paths short and other hosts in full. */
  hubUrl?: string;
}

/**
 * The single network seam for everything the Hub client sends. File PUTs stream from disk; all other
 * requests go over node:http (or `baseFetch`) and their answer is read in full here, inside the attempt, so a
 * connection reset while reading it is a failed attempt (retried by the caller) and the time limit
 * covers the body too. Write requests never follow a redirect: a 3xx is a failure naming the
 * endpoint, so an upload is never re-sent to another host. GETs follow same-origin redirects only.
 */
export function createHubFetch(options: HubFetchOptions = {}): typeof fetch {
  const hubOrigin = options.hubUrl === undefined ? undefined : new URL(options.hubUrl).origin;
  const hubFetch = async (input: string | URL | Request, requestInit?: RequestInit): Promise<Response> => {
    const baseFetch = options.baseFetch ?? globalThis.fetch;
    const method = (requestInit?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const readOnly = method === "GET" || method === "HEAD";
    const filePut = method === "PUT" && requestInit?.body instanceof SourceBlob ? requestInit.body : undefined;
    // A body in memory that asks for progress is an upload (a xorb): sent like a file, with an idle limit.
    const bytesUpload =
      filePut === undefined &&
      options.baseFetch === undefined &&
      (requestInit as { progressHint?: unknown } | undefined)?.progressHint !== undefined &&
      requestInit?.body instanceof Uint8Array
        ? requestInit.body
        : undefined;
    const attempt = holdAttempt(
      [requestInit?.signal, input instanceof Request ? input.signal : undefined, options.signal],
      filePut === undefined && bytesUpload === undefined ? options.timeoutMs : undefined,
    );
    let url = new URL(requestUrl(input));
    try {
      for (let hops = 0; ; hops++) {
        let response: Response | undefined;
        if (filePut !== undefined && requestInit !== undefined) {
          response = await streamPut(url, requestInit, filePut, options.timeoutMs, attempt.signal);
        } else if (bytesUpload !== undefined && requestInit !== undefined) {
          response = await streamBytes(url, method, requestInit, bytesUpload, options.timeoutMs, attempt.signal);
        } else if (options.baseFetch === undefined) {
          const init = hops === 0 ? requestInit : { method };
          response = await sendPlain(hops === 0 ? input : url, init, url, method, attempt.signal);
        }
        if (response === undefined) {
          const sent = await baseFetch(hops === 0 ? input : url, {
            ...requestInit,
            ...(hops === 0 ? {} : { method, body: null }),
            signal: attempt.signal,
            redirect: "manual",
          });
          const body = NULL_BODY_STATUSES.has(sent.status) || method === "HEAD" ? null : await sent.arrayBuffer();
          response = new Response(body, { status: sent.status, statusText: sent.statusText, headers: sent.headers });
          Object.defineProperty(response, "url", { value: sent.url || url.href });
        }
        const location = response.headers.get("location");
        if (!REDIRECT_STATUSES.has(response.status) || location === null) {
          return response;
        }
        const target = new URL(location, url);
        if (!readOnly) {
          throw new HubError(
            `The Hub redirected ${describeEndpoint(method, url, hubOrigin)} to ${target.host}; refusing to re-send the upload`,
            {
              hint: "Check HF_ENDPOINT: it must be the Hub itself, not an address that forwards to it",
              statusCode: response.status,
            },
          );
        }
        if (target.origin !== url.origin || hops >= MAX_REDIRECTS) {
          throw new HubError(
            `The Hub redirected ${describeEndpoint(method, url, hubOrigin)} to ${target.host}${hops >= MAX_REDIRECTS ? ` (more than ${MAX_REDIRECTS} redirects)` : ""}; not following it`,
            { hint: "Check HF_ENDPOINT: it must be the Hub itself", statusCode: response.status },
          );
        }
        url = target;
      }
    } catch (error) {
      throw attempt.timedOut() ?? error;
    } finally {
      attempt.dispose();
    }
  };
  return hubFetch;
}
