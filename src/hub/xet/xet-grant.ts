/**
 * The right to write to the Xet CAS for one repo and revision, as the Hub hands it out (the LFS batch
 * answer's `X-Xet-*` headers, or the xet-write-token route's answer): a CAS URL and a short-lived
 * token, and where to get the next one.
 */
export interface XetGrant {
  readonly casUrl: string;
  readonly accessToken: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  /** GET with the Hub token: a fresh `{accessToken, exp, casUrl}` (the xet-write-token route). */
  readonly refreshUrl: string;
  /** Sent back on every CAS request, as the reference clients do. */
  readonly sessionId: string | undefined;
}
