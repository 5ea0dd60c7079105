import { HubError } from "../../errors.js";
import { decodeShard, hashToHex, XetFormatError, type Shard } from "../../xet/index.js";
import type { HubCall } from "../transport/hub-call.js";
import { HttpStatusError } from "../transport/http-status-error.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";
import type { XetTokenSource } from "./create-xet-token-source.js";

/** The CAS calls of an upload (spec "CAS API"); see createCasClient. */
export interface CasClient {
  /** Global dedup: the xorbs around a chunk the CAS holds (a shard, chunk hashes keyed), or undefined (404). */
  queryChunk(hash: Uint8Array): Promise<Shard | undefined>;
  /**
   * Sends a serialized xorb under its hash; `onProgress` gets the bytes the socket has taken. `of`
   * names the files it holds chunks of, for errors.
   */
  uploadXorb(hashHex: string, bytes: Uint8Array, of: string, onProgress: (sent: number) => void): Promise<void>;
  /** Registers files: `POST /v2/shards` (its NDJSON events read to the last), or `/v1/shards` where v2 is 404 or 501. */
  uploadShard(bytes: Uint8Array): Promise<void>;
}

const OCTETS = "application/octet-stream";

/** The answer's JSON, or a HubError naming the endpoint. */
async function json(response: Response, what: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw new HubError(`The Xet storage's answer to ${what} is malformed: ${text.slice(0, 200) || "an empty body"}`, {
    hint: "Nothing was committed; check HF_ENDPOINT (a proxy or a login page?) and run again",
    statusCode: response.status,
  });
}

/**
 * The CAS requests of one upload, through the Hub client's fetch (the one retry loop, with its
 * backoff and Retry-After; no redirect on a write), each with the upload's CAS token: one the CAS
 * refuses as expired (401) is renewed and the request sent once more. Xorbs and shards are checked
 * to have been taken; a dedup answer is decoded, or refused as malformed.
 */
export function createCasClient(params: {
  call: HubCall;
  tokens: XetTokenSource;
  signal?: AbortSignal | undefined;
}): CasClient {
  const { call, tokens, signal } = params;
  const send = async (path: string, init: RequestInit & { progressHint?: unknown }): Promise<Response> => {
    let token = await tokens.current();
    for (let attempt = 0; ; attempt++) {
      const response = await call.fetch(`${token.casUrl}${path}`, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string> | undefined),
          Authorization: `Bearer ${token.accessToken}`,
          ...(tokens.sessionId === undefined ? {} : { "X-Xet-Session-Id": tokens.sessionId }),
        },
        ...(signal === undefined ? {} : { signal }),
      });
      if (response.status !== 401 || attempt > 0) {
        return response;
      }
      await response.arrayBuffer().catch(() => undefined);
      token = await tokens.renew(token.accessToken);
    }
  };

  return {
    async queryChunk(hash) {
      const hex = hashToHex(hash);
      const response = await send(`/v1/chunks/default-merkledb/${hex}`, { method: "GET", headers: { Accept: OCTETS } });
      if (response.status === 404) {
        await response.arrayBuffer().catch(() => undefined);
        return undefined;
      }
      if (!response.ok) {
        throw await httpStatusErrorFrom(response);
      }
      try {
        return decodeShard(new Uint8Array(await response.arrayBuffer()));
      } catch (error) {
        if (error instanceof XetFormatError) {
          throw new HubError(`The Xet storage's dedup answer for chunk ${hex} is malformed: ${error.message}`, {
            hint: "Nothing was committed; check HF_ENDPOINT and run again",
            cause: error,
          });
        }
        throw error;
      }
    },

    async uploadXorb(hashHex, bytes, of, onProgress) {
      const response = await send(`/v1/xorbs/default/${hashHex}`, {
        method: "POST",
        headers: { "Content-Type": OCTETS },
        body: bytes as Uint8Array<ArrayBuffer>,
        // Read by our fetch (create-hub-fetch): bytes in memory sent with progress and an idle limit.
        progressHint: { progressCallback: (fraction: number) => onProgress(Math.round(fraction * bytes.byteLength)) },
      });
      if (!response.ok) {
        const error = await httpStatusErrorFrom(response);
        throw new HttpStatusError(
          error.statusCode,
          `uploading ${of} to Xet storage (xorb ${hashHex}): ${error.message}`,
          error.requestId,
        );
      }
      const answer = await json(response, `the upload of xorb ${hashHex}`);
      if (typeof answer["was_inserted"] !== "boolean") {
        throw new HubError(`The Xet storage's answer to the upload of xorb ${hashHex} has no was_inserted`, {
          hint: "Nothing was committed; check HF_ENDPOINT and run again",
        });
      }
    },

    async uploadShard(bytes) {
      const init = { method: "POST", headers: { "Content-Type": OCTETS }, body: bytes as Uint8Array<ArrayBuffer> };
      let response = await send("/v2/shards", init);
      if (response.status === 404 || response.status === 501) {
        await response.arrayBuffer().catch(() => undefined);
        response = await send("/v1/shards", init);
        if (!response.ok) {
          const error = await httpStatusErrorFrom(response);
          throw new HttpStatusError(
            error.statusCode,
            `registering the files (shard): ${error.message}`,
            error.requestId,
          );
        }
        const answer = await json(response, "the shard upload");
        if (typeof answer["result"] !== "number") {
          throw new HubError("The Xet storage's answer to the shard upload has no result", {
            hint: "Nothing was committed; check HF_ENDPOINT and run again",
          });
        }
        return;
      }
      if (!response.ok) {
        const error = await httpStatusErrorFrom(response);
        throw new HttpStatusError(error.statusCode, `registering the files (shard): ${error.message}`, error.requestId);
      }
      // v2 answers 200 as soon as it streams: only the last event says whether the shard was taken.
      const events = (await response.text())
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
          try {
            return JSON.parse(line) as { type?: unknown; message?: unknown };
          } catch {
            return { type: undefined };
          }
        });
      const last = events.at(-1);
      if (last?.type === "error") {
        throw new HttpStatusError(
          400,
          `registering the files (shard): ${typeof last.message === "string" ? last.message : "refused"}`,
        );
      }
      if (last?.type !== "result") {
        throw new HubError("The Xet storage's answer to the shard upload ended without a result", {
          hint: "Nothing was committed; run again (what was sent is not sent twice)",
        });
      }
    },
  };
}
