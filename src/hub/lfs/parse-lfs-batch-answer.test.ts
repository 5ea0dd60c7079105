import { describe, expect, it } from "vitest";
import { HubError } from "../../errors.js";
import { parseLfsBatchAnswer, type LfsObjectId, type LfsObjectPlan } from "./parse-lfs-batch-answer.js";

const A = "a".repeat(64);
const B = "b".repeat(64);
const REQUESTED: LfsObjectId[] = [
  { oid: A, size: 2500 },
  { oid: B, size: 10 },
];
const PART = (n: number): string => `https://storage.test/${A}/part/${n}`;

/** An answer for both requested objects: `a` as given, `b` already stored. */
const answer = (a: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({
  transfer: "basic",
  objects: [
    { oid: A, size: 2500, authenticated: true, ...a },
    { oid: B, size: 10, authenticated: true },
  ],
  ...extra,
});

const multipart = (header: Record<string, unknown>): Record<string, unknown> => ({
  actions: { upload: { href: "https://storage.test/complete", header } },
});

describe("parseLfsBatchAnswer", () => {
  it.each<[string, Record<string, unknown>, LfsObjectPlan]>([
    ["no actions: already stored", {}, { kind: "present", oid: A, size: 2500 }],
    [
      "actions without upload (verify only): already stored",
      { actions: { verify: { href: "https://hub.test/verify" } } },
      { kind: "present", oid: A, size: 2500 },
    ],
    [
      "an upload without a header: one PUT",
      { actions: { upload: { href: "https://storage.test/put" } } },
      { kind: "basic", oid: A, size: 2500, href: "https://storage.test/put", headers: {} },
    ],
    [
      "an http href (a local Hub): one PUT",
      { actions: { upload: { href: "http://127.0.0.1:8080/put" } } },
      { kind: "basic", oid: A, size: 2500, href: "http://127.0.0.1:8080/put", headers: {} },
    ],
    [
      "header keys that are not all digits are not parts",
      multipart({ chunk_size: 2500, "1": PART(1), x1: "not a part", "1x": "not a part" }),
      {
        kind: "multipart",
        oid: A,
        size: 2500,
        completionHref: "https://storage.test/complete",
        chunkSize: 2500,
        partUrls: [PART(1)],
      },
    ],
    [
      "an upload with headers: one PUT, headers kept",
      { actions: { upload: { href: "https://storage.test/put", header: { "x-amz-acl": "private" } } } },
      { kind: "basic", oid: A, size: 2500, href: "https://storage.test/put", headers: { "x-amz-acl": "private" } },
    ],
    [
      "chunk_size and numbered parts: multipart, parts in number order whatever the key order",
      multipart({ "00003": PART(3), chunk_size: "1000", "00001": PART(1), "00002": PART(2) }),
      {
        kind: "multipart",
        oid: A,
        size: 2500,
        completionHref: "https://storage.test/complete",
        chunkSize: 1000,
        partUrls: [PART(1), PART(2), PART(3)],
      },
    ],
    [
      "chunk_size as a number, unpadded part keys",
      multipart({ chunk_size: 2500, "1": PART(1) }),
      {
        kind: "multipart",
        oid: A,
        size: 2500,
        completionHref: "https://storage.test/complete",
        chunkSize: 2500,
        partUrls: [PART(1)],
      },
    ],
    [
      "an error: the Hub's code and message",
      { error: { code: 422, message: "size too large" }, actions: { upload: { href: "https://storage.test/put" } } },
      { kind: "error", oid: A, size: 2500, code: 422, message: "size too large" },
    ],
  ])("%s", (_name, object, expected) => {
    const plans = parseLfsBatchAnswer(REQUESTED, answer(object));
    expect([...plans.values()]).toEqual([expected, { kind: "present", oid: B, size: 10 }]);
  });

  it("keys the plans by oid in the order requested, not the order answered", () => {
    const plans = parseLfsBatchAnswer(REQUESTED, {
      objects: [
        { oid: B, size: 10 },
        { oid: A, size: 2500 },
      ],
    });
    expect([...plans.keys()]).toEqual([A, B]);
  });

  it.each<[string, unknown, string]>([
    ["not an object", "<html>", "it has no list of objects"],
    ["no objects", { transfer: "basic" }, "it has no list of objects"],
    ["a transfer not offered", answer({}, { transfer: "xet" }), 'it chose the transfer "xet", which was not offered'],
    [
      "an object that was not requested",
      { objects: [{ oid: A }, { oid: B }, { oid: "c".repeat(64) }] },
      `object ${"c".repeat(64)} was not requested`,
    ],
    ["a requested object missing", { objects: [{ oid: A }] }, `requested object ${B} is missing from it`],
    ["an object answered twice", { objects: [{ oid: A }, { oid: B }, { oid: A }] }, `object ${A} is answered twice`],
    ["an object without an oid", { objects: [{ size: 3 }] }, "object 0 has no oid"],
    ["a null object", { objects: [null] }, "object 0 has no oid"],
    [
      "a chunk_size in a list",
      answer(multipart({ chunk_size: [2500], "00001": PART(1) })),
      "has chunk_size [2500], not a positive whole number of bytes",
    ],
    ["a transfer that is not a name", answer({}, { transfer: 5 }), "it chose the transfer 5, which was not offered"],
    ["actions as a list", answer({ actions: [] }), `object ${A} has actions that are not an object`],
    [
      "an href inside a list (a URL only once turned into text)",
      answer({ actions: { upload: { href: ["https://storage.test/put"] } } }),
      `object ${A} has an upload action without an http(s) href`,
    ],
    [
      "an href that is no URL",
      answer({ actions: { upload: { href: "storage put" } } }),
      `object ${A} has an upload action without an http(s) href`,
    ],
    [
      "an href of another scheme",
      answer({ actions: { upload: { href: "ftp://storage.test/put" } } }),
      `object ${A} has an upload action without an http(s) href`,
    ],
    [
      "an error whose message is not text",
      answer({ error: { code: 404, message: 5 } }),
      `object ${A} has an error without a numeric code and a message`,
    ],
    [
      "a chunk_size in exponent notation",
      answer(multipart({ chunk_size: "1e3", "00001": PART(1), "00002": PART(2), "00003": PART(3) })),
      'has chunk_size "1e3", not a positive whole number of bytes',
    ],

    ["a size other than requested", answer({ size: 2499 }), `object ${A} has size 2499, but 2500 was requested`],
    ["an error without a code", answer({ error: { message: "no" } }), "has an error without a numeric code"],
    ["actions that are not an object", answer({ actions: "upload" }), "has actions that are not an object"],
    [
      "an upload without href",
      answer({ actions: { upload: { header: {} } } }),
      "has an upload action without an http(s) href",
    ],
    [
      "an upload to a non-http URL",
      answer({ actions: { upload: { href: "file:///etc/passwd" } } }),
      "has an upload action without an http(s) href",
    ],
    [
      "an upload header that is not an object",
      answer({ actions: { upload: { href: "https://s.test/p", header: ["x"] } } }),
      "has an upload header that is not an object",
    ],
    [
      "a basic header that is not a string",
      answer({ actions: { upload: { href: "https://s.test/p", header: { "x-n": 1 } } } }),
      "has an upload header x-n that is not a string",
    ],
    [
      "a chunk_size of zero",
      answer(multipart({ chunk_size: "0", "00001": PART(1) })),
      'has chunk_size "0", not a positive whole number of bytes',
    ],
    [
      "a chunk_size that is not a number",
      answer(multipart({ chunk_size: "1e3", "00001": PART(1) })),
      'has chunk_size "1e3", not a positive whole number of bytes',
    ],
    [
      "too few parts",
      answer(multipart({ chunk_size: "1000", "00001": PART(1), "00002": PART(2) })),
      "has 2 part URLs, but 2500 bytes in parts of 1000 make 3",
    ],
    [
      "too many parts",
      answer(multipart({ chunk_size: "2500", "00001": PART(1), "00002": PART(2) })),
      "has 2 part URLs, but 2500 bytes in parts of 2500 make 1",
    ],
    [
      "parts not numbered from 1",
      answer(multipart({ chunk_size: "1000", "00002": PART(2), "00003": PART(3), "00004": PART(4) })),
      "has no URL for part 1 (parts are numbered from 1)",
    ],
    [
      "a part named twice",
      answer(multipart({ chunk_size: "1000", "1": PART(1), "01": PART(1), "00002": PART(2) })),
      "names part 1 twice",
    ],
    ["a part URL that is not a URL", answer(multipart({ chunk_size: "2500", "00001": 7 })), "gives part 1 the URL 7"],
  ])("refuses %s", (_name, body, problem) => {
    let thrown: unknown;
    try {
      parseLfsBatchAnswer(REQUESTED, body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HubError);
    expect((thrown as HubError).message).toContain("The Hub's answer to the LFS batch request is malformed: ");
    expect((thrown as HubError).message).toContain(problem);
    expect((thrown as HubError).hint).toBe(
      "Nothing was uploaded from it; check HF_ENDPOINT (a proxy or a login page?) and run again",
    );
  });
});

describe("parseLfsBatchAnswer with Xet offered", () => {
  const XET: Array<"basic" | "multipart" | "xet"> = ["basic", "multipart", "xet"];
  const REFRESH = "https://hub.test/api/models/alice/x/xet-write-token/main";
  const grant = (header: Record<string, unknown>): Record<string, unknown> => ({
    actions: { upload: { href: REFRESH, header } },
  });
  const headers = {
    "X-Xet-Cas-Url": "https://cas.test",
    "X-Xet-Access-Token": "xet_token",
    "X-Xet-Token-Expiration": "1900000000",
    "X-Xet-Session-Id": "s1",
  };

  it("reads each object to send as a Xet grant: the CAS, its token and expiry, the token route, the session", () => {
    const plans = parseLfsBatchAnswer(REQUESTED, answer(grant(headers), { transfer: "xet" }), XET);
    expect(plans.get(A)).toEqual({
      kind: "xet",
      oid: A,
      size: 2500,
      grant: {
        casUrl: "https://cas.test",
        accessToken: "xet_token",
        expiresAt: 1_900_000_000,
        refreshUrl: REFRESH,
        sessionId: "s1",
      },
    });
    expect(plans.get(B)).toEqual({ kind: "present", oid: B, size: 10 });
  });

  it("reads header names in any case, and a grant without a session", () => {
    const lower = {
      "x-xet-cas-url": "http://127.0.0.1:9/__xet",
      "x-xet-access-token": "t",
      "x-xet-token-expiration": "5",
    };
    const plan = parseLfsBatchAnswer(REQUESTED, answer(grant(lower), { transfer: "xet" }), XET).get(A);
    expect(plan).toEqual({
      kind: "xet",
      oid: A,
      size: 2500,
      grant: {
        casUrl: "http://127.0.0.1:9/__xet",
        accessToken: "t",
        expiresAt: 5,
        refreshUrl: REFRESH,
        sessionId: undefined,
      },
    });
  });

  it("reads a basic answer as before when Xet was offered but not chosen", () => {
    const plan = parseLfsBatchAnswer(REQUESTED, answer({ actions: { upload: { href: "https://s.test/p" } } }), XET);
    expect(plan.get(A)).toEqual({ kind: "basic", oid: A, size: 2500, href: "https://s.test/p", headers: {} });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["no CAS URL", { ...headers, "X-Xet-Cas-Url": undefined }, "has no http(s) X-Xet-Cas-Url"],
    ["a CAS URL of another scheme", { ...headers, "X-Xet-Cas-Url": "file:///cas" }, "has no http(s) X-Xet-Cas-Url"],
    ["no token", { ...headers, "X-Xet-Access-Token": "" }, "has no X-Xet-Access-Token"],
    [
      "an expiry that is no number",
      { ...headers, "X-Xet-Token-Expiration": "soon" },
      'has X-Xet-Token-Expiration "soon"',
    ],
    ["an expiry as a JSON number", { ...headers, "X-Xet-Token-Expiration": 5 }, "has X-Xet-Token-Expiration 5"],
  ])("refuses a Xet grant with %s", (_name, header, problem) => {
    expect(() => parseLfsBatchAnswer(REQUESTED, answer(grant(header), { transfer: "xet" }), XET)).toThrow(problem);
  });
});
