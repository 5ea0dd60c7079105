import { randomBytes } from "node:crypto";

export type XetScope = "read" | "write";

/** What a CAS access token allows, and until when. */
export interface XetGrant {
  readonly scope: XetScope;
  /** The repo it was issued for (FakeRepo.key). */
  readonly repo: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

/**
 * The short-lived CAS access tokens the Hub hands out (spec "Authentication"): opaque, scoped read or
 * write, tied to one repo, honoured until they expire. Kept in memory only: after a restart clients
 * get 401 and fetch a new one, as they do when one expires.
 */
export class XetTokens {
  private readonly grants = new Map<string, XetGrant>();
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  /** `now` in milliseconds since the epoch. */
  constructor(ttlSeconds: number, now: () => number) {
    this.ttlSeconds = ttlSeconds;
    this.now = now;
  }

  issue(scope: XetScope, repo: string): { token: string; grant: XetGrant } {
    const seconds = Math.floor(this.now() / 1000);
    for (const [token, grant] of this.grants) {
      if (grant.expiresAt <= seconds) {
        this.grants.delete(token);
      }
    }
    const token = `xet_emulator_${randomBytes(24).toString("base64url")}`;
    const grant = { scope, repo, expiresAt: seconds + this.ttlSeconds };
    this.grants.set(token, grant);
    return { token, grant };
  }

  /**
   * The grant behind an `Authorization: Bearer` header, or why there is none: "missing", "unknown"
   * (not a token this CAS issued: a Hub token, say), "expired", or "scope" (a read token asked to write).
   */
  check(header: string | null, needed: XetScope): XetGrant | "missing" | "unknown" | "expired" | "scope" {
    if (header === null || !header.startsWith("Bearer ")) {
      return "missing";
    }
    const grant = this.grants.get(header.slice(7).trim());
    if (grant === undefined) {
      return "unknown";
    }
    if (grant.expiresAt <= Math.floor(this.now() / 1000)) {
      return "expired";
    }
    return needed === "write" && grant.scope !== "write" ? "scope" : grant;
  }
}
