import { describe, expect, it } from "vitest";
import { HubError } from "../../errors.js";
import { gitBlobSha1 } from "../../util/git-blob-sha1.js";
import { createCommitFetch, type CommitFetchParams } from "./create-commit-fetch.js";
import type { RemoteFile } from "../diff-against-remote.js";
import type { RetryInfo } from "../transport/with-retries.js";

const COMMIT_URL = "https://hub.test/api/models/alice/run/commit/main";
const body = [
  { key: "header", value: { summary: "Upload", parentCommit: "p0" } },
  { key: "file", value: { path: "notes.txt", content: Buffer.from("hi\n").toString("base64"), encoding: "base64" } },
]
  .map((line) => JSON.stringify(line))
  .join("\n");

/** A commit fetch over scripted answers, a fake clock that records its waits, and a scripted remote. */
function setup(
  answers: Array<Response | Error>,
  overrides: Partial<CommitFetchParams> = {},
): { commitFetch: typeof fetch; sent: () => number; slept: number[]; retries: RetryInfo[]; remoteReads: () => number } {
  let sent = 0;
  let remoteReads = 0;
  const slept: number[] = [];
  const retries: RetryInfo[] = [];
  const send = (() => {
    const answer = answers[Math.min(sent, answers.length - 1)];
    sent++;
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer?.clone());
  }) as unknown as typeof fetch;
  const commitFetch = createCommitFetch({
    send,
    other: () => Promise.reject(new Error("not the commit")),
    policy: {
      maxRetries: 5,
      baseDelayMs: 100,
      maxDelayMs: 800,
      maxServerWaitMs: 300_000,
      random: () => 0.5,
      clock: {
        now: () => 0,
        sleep: (ms) => {
          slept.push(ms);
          return Promise.resolve();
        },
      },
    },
    signal: undefined,
    tracker: { gaveUp: undefined },
    onRetry: (info) => retries.push(info),
    hubUrl: "https://hub.test",
    readRemote: () => {
      remoteReads++;
      return Promise.resolve({ head: "p0", files: new Map<string, RemoteFile>() });
    },
    onOperations: () => undefined,
    commitUrl: (oid) => `https://hub.test/alice/run/commit/${oid}`,
    ...overrides,
  });
  return { commitFetch, sent: () => sent, slept, retries, remoteReads: () => remoteReads };
}

const post = { method: "POST", body };

describe("createCommitFetch: the commit goes through the one retry loop", () => {
  it("gives up at once, with a clear line, when the Hub asks to wait longer than the budget", async () => {
    const { commitFetch, sent, slept, remoteReads } = setup([
      new Response("slow down", { status: 429, headers: { "retry-after": "3600", "x-request-id": "r-1" } }),
    ]);

    const error = await commitFetch(COMMIT_URL, post).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).message).toBe(
      "The Hub asked to wait 3600 s (Retry-After) before retrying POST /api/models/alice/run/commit/main, longer than the 300 s this tool waits",
    );
    expect((error as HubError).requestId).toBe("r-1");
    expect(sent()).toBe(1);
    expect(slept).toEqual([]);
    // Even a refusal is checked against the repo first: a lost answer must never become a second commit.
    expect(remoteReads()).toBe(1);
  });

  it("honours Retry-After and RateLimit on the commit like on every other request", async () => {
    const { commitFetch, sent, slept, retries } = setup([
      new Response("busy", { status: 503, headers: { "retry-after": "2" } }),
      new Response("limited", { status: 429, headers: { ratelimit: '"api";r=0;t=7' } }),
      new Response(JSON.stringify({ commitOid: "c1", commitUrl: "u" }), { status: 200 }),
    ]);

    const response = await commitFetch(COMMIT_URL, post);

    expect(await response.json()).toEqual({ commitOid: "c1", commitUrl: "u" });
    expect(sent()).toBe(3);
    expect(slept).toEqual([2000, 7000]);
    expect(retries.map((info) => `${info.method} ${info.reason}`)).toEqual(["POST HTTP 503", "POST HTTP 429"]);
  });

  it("answers as the Hub would have when the lost commit landed, without sending it again", async () => {
    const { commitFetch, sent } = setup([new Response("bad gateway", { status: 502 })], {
      readRemote: () =>
        Promise.resolve({
          head: "c9",
          files: new Map<string, RemoteFile>([
            ["notes.txt", { size: 3, oid: gitBlobSha1(Buffer.from("hi\n")), lfsSha256: undefined }],
          ]),
        }),
    });

    const response = await commitFetch(COMMIT_URL, post);

    expect(await response.json()).toEqual({
      success: true,
      commitOid: "c9",
      commitUrl: "https://hub.test/alice/run/commit/c9",
    });
    expect(sent()).toBe(1);
  });

  it("takes its landed check as a hook, given the operations and the parent", async () => {
    const seen: unknown[] = [];
    const { commitFetch, sent } = setup([new TypeError("fetch failed"), new Response("{}", { status: 200 })], {
      landed: (commit) => {
        seen.push(commit);
        return Promise.resolve(undefined);
      },
    });

    expect((await commitFetch(COMMIT_URL, post)).status).toBe(200);
    expect(sent()).toBe(2);
    expect(seen).toEqual([
      {
        parentCommit: "p0",
        operations: [{ key: "file", value: expect.objectContaining({ path: "notes.txt" }) as unknown }],
      },
    ]);
  });
});
