import { HubError } from "../../errors.js";
import type { XetGrant } from "../xet/xet-grant.js";

/** One object as the LFS batch request names it. */
export interface LfsObjectId {
  oid: string;
  size: number;
}

/** What the Hub wants done with one requested object. */
export type LfsObjectPlan =
  /** Stored already (no `actions.upload`): nothing to send. */
  | { kind: "present"; oid: string; size: number }
  /** One PUT of the whole object. */
  | { kind: "basic"; oid: string; size: number; href: string; headers: Record<string, string> }
  /** A PUT of each `chunkSize` slice to its part URL (part 1 first), then a POST to `completionHref`. */
  | { kind: "multipart"; oid: string; size: number; completionHref: string; chunkSize: number; partUrls: string[] }
  /** The Hub refused this object. */
  | { kind: "error"; oid: string; size: number; code: number; message: string }
  /** Send it through Xet storage (transfer "xet", when offered), with this CAS grant. */
  | { kind: "xet"; oid: string; size: number; grant: XetGrant };

/** The transfers @huggingface/hub offers (commitIter; "xet" unless useXet is false). */
export type LfsTransfer = "basic" | "multipart" | "xet";

/** Numbered header keys name the part URLs of a multipart upload ("00001" is part 1). */
const PART_KEY = /^[0-9]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") {
    return false;
  }
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

function malformed(problem: string): HubError {
  return new HubError(`The Hub's answer to the LFS batch request is malformed: ${problem}`, {
    hint: "Nothing was uploaded from it; check HF_ENDPOINT (a proxy or a login page?) and run again",
  });
}

function planMultipart(
  requested: LfsObjectId,
  href: string,
  header: Record<string, unknown>,
  where: string,
): LfsObjectPlan {
  const raw = header["chunk_size"];
  const chunkSize = typeof raw === "number" ? raw : typeof raw === "string" && /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw malformed(`${where} has chunk_size ${JSON.stringify(raw)}, not a positive whole number of bytes`);
  }
  const count = Math.ceil(requested.size / chunkSize);
  const parts = new Map<number, string>();
  for (const [key, url] of Object.entries(header)) {
    if (!PART_KEY.test(key)) {
      continue;
    }
    const number = Number(key);
    if (parts.has(number)) {
      throw malformed(`${where} names part ${number} twice`);
    }
    if (!isHttpUrl(url)) {
      throw malformed(`${where} gives part ${number} the URL ${JSON.stringify(url)}`);
    }
    parts.set(number, url);
  }
  if (parts.size !== count) {
    throw malformed(
      `${where} has ${parts.size} part URLs, but ${requested.size} bytes in parts of ${chunkSize} make ${count}`,
    );
  }
  const partUrls: string[] = [];
  for (let number = 1; number <= count; number++) {
    const url = parts.get(number);
    if (url === undefined) {
      throw malformed(`${where} has no URL for part ${number} (parts are numbered from 1)`);
    }
    partUrls.push(url);
  }
  return { kind: "multipart", oid: requested.oid, size: requested.size, completionHref: href, chunkSize, partUrls };
}

/** An object of a "xet" answer: its upload action names the token route (href) and carries a CAS token in X-Xet-* headers. */
function planXet(requested: LfsObjectId, href: string, header: Record<string, unknown>, where: string): LfsObjectPlan {
  // Header names are case-insensitive (@huggingface/hub reads them through Headers).
  const field = (name: string): unknown =>
    Object.entries(header).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  const casUrl = field("X-Xet-Cas-Url");
  const accessToken = field("X-Xet-Access-Token");
  const expiration = field("X-Xet-Token-Expiration");
  const sessionId = field("X-Xet-Session-Id");
  if (!isHttpUrl(casUrl)) {
    throw malformed(`${where} has no http(s) X-Xet-Cas-Url`);
  }
  if (typeof accessToken !== "string" || accessToken === "") {
    throw malformed(`${where} has no X-Xet-Access-Token`);
  }
  const expiresAt = typeof expiration === "string" && /^[0-9]+$/.test(expiration) ? Number(expiration) : NaN;
  if (!Number.isSafeInteger(expiresAt)) {
    throw malformed(`${where} has X-Xet-Token-Expiration ${JSON.stringify(expiration)}, not seconds since the epoch`);
  }
  return {
    kind: "xet",
    oid: requested.oid,
    size: requested.size,
    grant: {
      casUrl,
      accessToken,
      expiresAt,
      refreshUrl: href,
      sessionId: typeof sessionId === "string" && sessionId !== "" ? sessionId : undefined,
    },
  };
}

function planObject(
  requested: LfsObjectId,
  object: Record<string, unknown>,
  where: string,
  xet: boolean,
): LfsObjectPlan {
  const { oid, size } = requested;
  if (object["error"] !== undefined) {
    const error = object["error"];
    if (!isRecord(error) || typeof error["code"] !== "number" || typeof error["message"] !== "string") {
      throw malformed(`${where} has an error without a numeric code and a message`);
    }
    return { kind: "error", oid, size, code: error["code"], message: error["message"] };
  }
  const actions = object["actions"];
  if (actions === undefined) {
    return { kind: "present", oid, size };
  }
  if (!isRecord(actions)) {
    throw malformed(`${where} has actions that are not an object`);
  }
  const upload = actions["upload"];
  if (upload === undefined) {
    return { kind: "present", oid, size };
  }
  if (!isRecord(upload) || !isHttpUrl(upload["href"])) {
    throw malformed(`${where} has an upload action without an http(s) href`);
  }
  const href = upload["href"];
  const header = upload["header"] ?? {};
  if (!isRecord(header)) {
    throw malformed(`${where} has an upload header that is not an object`);
  }
  if (xet) {
    return planXet(requested, href, header, where);
  }
  if (header["chunk_size"] !== undefined) {
    return planMultipart(requested, href, header, where);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (typeof value !== "string") {
      throw malformed(`${where} has an upload header ${name} that is not a string`);
    }
    headers[name] = value;
  }
  return { kind: "basic", oid, size, href, headers };
}

/**
 * Pure: what the Hub's answer to an LFS batch upload request asks for each requested object, keyed
 * by oid in the order they were requested. Read as @huggingface/hub's commitIter reads it (no
 * `actions.upload`: stored; transfer "xet": a Xet grant in the action's X-Xet-* headers, its href the
 * token route; `header.chunk_size` and numbered part keys: multipart; else one PUT to `href`), but
 * checked first: an answer that skips a requested object, names one that was not requested, chooses
 * a transfer that was not offered, or has a malformed field throws a HubError saying which, before
 * anything is sent.
 */
export function parseLfsBatchAnswer(
  requested: readonly LfsObjectId[],
  answer: unknown,
  offered: readonly LfsTransfer[] = ["basic", "multipart"],
): Map<string, LfsObjectPlan> {
  const wanted = new Map(requested.map((object) => [object.oid, object]));
  if (!isRecord(answer) || !Array.isArray(answer["objects"])) {
    throw malformed("it has no list of objects");
  }
  const transfer = answer["transfer"];
  // includes() of anything but an offered string is false.
  if (transfer !== undefined && !offered.includes(transfer as LfsTransfer)) {
    throw malformed(`it chose the transfer ${JSON.stringify(transfer)}, which was not offered (${offered.join(", ")})`);
  }
  const xet = transfer === "xet";
  const found = new Map<string, LfsObjectPlan>();
  (answer["objects"] as unknown[]).forEach((object, index) => {
    if (!isRecord(object) || typeof object["oid"] !== "string") {
      throw malformed(`object ${index} has no oid`);
    }
    const oid = object["oid"];
    const where = `object ${oid}`;
    const asked = wanted.get(oid);
    if (asked === undefined) {
      throw malformed(`${where} was not requested`);
    }
    if (found.has(oid)) {
      throw malformed(`${where} is answered twice`);
    }
    if (object["size"] !== undefined && object["size"] !== asked.size) {
      throw malformed(`${where} has size ${JSON.stringify(object["size"])}, but ${asked.size} was requested`);
    }
    found.set(oid, planObject(asked, object, where, xet));
  });
  const plans = new Map<string, LfsObjectPlan>();
  for (const { oid } of requested) {
    const plan = found.get(oid);
    if (plan === undefined) {
      throw malformed(`requested object ${oid} is missing from it`);
    }
    plans.set(oid, plan);
  }
  return plans;
}
