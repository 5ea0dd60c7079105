import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A byte range, end inclusive (as in a Range header). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface UrlSigner {
  /**
   * A fetch URL for byte ranges of a xorb, good until `expiresAt` (seconds): the ranges go in
   * `X-Xet-Signed-Range` as the spec's download protocol shows, with `Expires` and a `Signature`.
   */
  sign(base: string, xorb: string, ranges: readonly ByteRange[], expiresAt: number): string;
  /** The xorb and ranges a fetch URL grants, "expired", or "invalid" (tampered with, or not ours). */
  verify(url: URL, xorb: string): ByteRange[] | "expired" | "invalid";
}

const RANGES = /^bytes=(\d+-\d+(?:,\d+-\d+)*)$/;

/**
 * Signs the xorb fetch URLs of reconstruction answers, standing in for the Hub's signed CDN URLs:
 * clients fetch them without a token, so the URL itself carries the grant (HMAC-SHA256 with a
 * per-process secret over the xorb, the ranges and the expiry). `now` is in milliseconds.
 */
export function createUrlSigner(now: () => number): UrlSigner {
  const secret = randomBytes(32);
  const mac = (xorb: string, range: string, expires: string): Buffer =>
    createHmac("sha256", secret).update(`${xorb}\n${range}\n${expires}`).digest();
  return {
    sign(base, xorb, ranges, expiresAt) {
      const range = `bytes=${ranges.map((r) => `${r.start}-${r.end}`).join(",")}`;
      const expires = String(expiresAt);
      const query = new URLSearchParams({
        "X-Xet-Signed-Range": range,
        Expires: expires,
        Signature: mac(xorb, range, expires).toString("base64url"),
      });
      return `${base}/${xorb}?${query.toString()}`;
    },
    verify(url, xorb) {
      const range = url.searchParams.get("X-Xet-Signed-Range") ?? "";
      const expires = url.searchParams.get("Expires") ?? "";
      const signature = Buffer.from(url.searchParams.get("Signature") ?? "", "base64url");
      const expected = mac(xorb, range, expires);
      const match = RANGES.exec(range);
      if (!match || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        return "invalid";
      }
      if (Number(expires) <= Math.floor(now() / 1000)) {
        return "expired";
      }
      return (match[1] ?? "").split(",").map((part) => {
        const [start = 0, end = 0] = part.split("-").map(Number);
        return { start, end };
      });
    },
  };
}
