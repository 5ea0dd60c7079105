import { describe, expect, it } from "vitest";
import type { RetryInfo } from "../hub/transport/with-retries.js";
import { describeRetry } from "./describe-retry.js";

const oid = "0123456789abcdef".repeat(4);
const retry = (method: string, url: string): RetryInfo => ({
  method,
  url,
  attempt: 2,
  of: 5,
  delayMs: 1500,
  reason: "HTTP 503",
});

describe("describeRetry", () => {
  it.each<[string, RetryInfo, Array<[string, string[]]>, string]>([
    [
      "an LFS PUT to the emulator",
      retry("PUT", `http://127.0.0.1:9/__lfs/${oid}`),
      [[oid, ["mlx/adapters.safetensors"]]],
      "Retrying the upload of mlx/adapters.safetensors in 1.5 s (HTTP 503; retry 2 of 5)",
    ],
    [
      "a presigned multipart part, two paths with the same content",
      retry("PUT", `https://bucket.s3.example/repos/ab/cd/${oid}?partNumber=3&X-Amz-Signature=abc`),
      [[oid, ["a.bin", "copy/a.bin"]]],
      "Retrying the upload of a.bin and copy/a.bin in 1.5 s (HTTP 503; retry 2 of 5)",
    ],
    [
      "three paths with the same content",
      retry("PUT", `https://bucket.s3.example/${oid}`),
      [[oid, ["a.bin", "b.bin", "c.bin"]]],
      "Retrying the upload of a.bin and 2 more files in 1.5 s (HTTP 503; retry 2 of 5)",
    ],
    [
      "a hash no upload named: the endpoint, without its query",
      retry("PUT", `https://bucket.s3.example/repos/${oid}?X-Amz-Signature=abc`),
      [],
      `Retrying PUT /repos/${oid} in 1.5 s (HTTP 503; retry 2 of 5)`,
    ],
    [
      "a Xet xorb",
      retry("POST", `http://127.0.0.1:9/__xet/v1/xorbs/default/${oid}`),
      [],
      "Retrying the upload of Xet data (xorb 0123456789ab…) in 1.5 s (HTTP 503; retry 2 of 5)",
    ],
    [
      "a Xet shard",
      retry("POST", "https://cas.example/v1/shards"),
      [],
      "Retrying the upload of the Xet shard (the files' index) in 1.5 s (HTTP 503; retry 2 of 5)",
    ],
    [
      "a repo that happens to be called shards",
      retry("POST", "https://hub.test/api/models/alice/shards/preupload/main"),
      [],
      "Retrying POST /api/models/alice/shards/preupload/main in 1.5 s (HTTP 503; retry 2 of 5)",
    ],
    [
      "something that is not a URL",
      retry("GET", "not a url?token=x"),
      [],
      "Retrying GET not a url in 1.5 s (HTTP 503; retry 2 of 5)",
    ],
  ])("%s", (_name, notice, known, line) => {
    expect(describeRetry(notice, new Map(known))).toBe(line);
  });
});
