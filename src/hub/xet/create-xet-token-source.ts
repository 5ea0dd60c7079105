import { HubError, UsageError } from "../../errors.js";
import { checkUploadGuard } from "../guard/check-upload-guard.js";
import type { HubCall } from "../transport/hub-call.js";
import { httpStatusErrorFrom } from "../transport/http-status-error-from.js";
import type { XetGrant } from "./xet-grant.js";

/** The spec's margin ("Authentication", Token refresh): a token is renewed this long before it expires. */
const REFRESH_MARGIN_SECONDS = 30;

/** The CAS token of an upload, renewed before it expires; see createXetTokenSource. */
export interface XetTokenSource {
  /** A token valid for a while yet, and the CAS URL it is for: renewed first when it is about to expire. */
  current(): Promise<{ casUrl: string; accessToken: string }>;
  /** Renews the token now (the CAS refused the current one), unless a renewal started since `stale` was handed out. */
  renew(stale: string): Promise<{ casUrl: string; accessToken: string }>;
  readonly sessionId: string | undefined;
}

/** Refuses a CAS URL that is not http(s), or that is the production Hub's storage under a test runner. */
function checkCasUrl(casUrl: string, testSignals: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(casUrl);
  } catch {
    throw new HubError(`The Hub handed out a Xet storage URL that is not a URL (${JSON.stringify(casUrl)})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new HubError(`The Hub handed out a Xet storage URL that is not http(s): ${casUrl}`);
  }
  // A CAS the production Hub hands out is production storage: a test must never write there, even
  // through a Hub that is not production (a proxy, a mock that forwards). Not the guard's quiet
  // "blocked" (exit 0, nothing sent): requests have gone to that Hub, and HF_ENDPOINT is what is wrong.
  const guard = checkUploadGuard({ hubUrl: casUrl, testSignals });
  if (!guard.allowed) {
    throw new UsageError(
      `Upload blocked: test environment detected (${guard.signals.join(", ")}) and the Hub handed out the production Xet storage (${url.origin})`,
      {
        hint: "Point HF_ENDPOINT at a Hub that is not the production Hub nor in front of it, e.g. process-artifacts-hub",
      },
    );
  }
  return casUrl.replace(/\/+$/, "");
}

/**
 * Holds the write token of one Xet upload. It is renewed through the grant's refresh URL (on the Hub's
 * own host only: that request carries the Hub token) once less than 30 seconds of it are left, or half
 * its lifetime for a token issued for less than a minute, so a long upload never sends an expired
 * token; concurrent callers share one renewal. Every CAS URL is checked by the test-environment guard.
 */
export function createXetTokenSource(params: {
  call: HubCall;
  grant: XetGrant;
  testSignals: readonly string[];
  /** Milliseconds since the epoch. */
  now: () => number;
  signal?: AbortSignal | undefined;
}): XetTokenSource {
  const { call, grant, testSignals, now } = params;
  if (new URL(grant.refreshUrl).origin !== new URL(call.hubUrl).origin) {
    throw new HubError(
      `The Hub's LFS batch answer sends the Xet token renewal to another host (${new URL(grant.refreshUrl).origin}); refusing to send the Hub token there`,
    );
  }
  const seconds = (): number => now() / 1000;
  const adopt = (casUrl: string, accessToken: string, expiresAt: number) => {
    const lifetime = expiresAt - seconds();
    return {
      casUrl: checkCasUrl(casUrl, testSignals),
      accessToken,
      renewAt: expiresAt - Math.min(REFRESH_MARGIN_SECONDS, Math.max(0, lifetime / 2)),
    };
  };
  let token = adopt(grant.casUrl, grant.accessToken, grant.expiresAt);
  let renewing: Promise<typeof token> | undefined;

  const renewNow = (): Promise<typeof token> => {
    renewing ??= (async () => {
      try {
        const response = await call.fetch(grant.refreshUrl, {
          headers: {
            Authorization: `Bearer ${call.accessToken}`,
            ...(grant.sessionId === undefined ? {} : { "X-Xet-Session-Id": grant.sessionId }),
          },
          ...(params.signal === undefined ? {} : { signal: params.signal }),
        });
        if (!response.ok) {
          throw await httpStatusErrorFrom(response);
        }
        const answer = (await response.json().catch(() => undefined)) as
          { accessToken?: unknown; exp?: unknown; casUrl?: unknown } | undefined;
        if (
          typeof answer?.accessToken !== "string" ||
          answer.accessToken === "" ||
          typeof answer.exp !== "number" ||
          typeof answer.casUrl !== "string"
        ) {
          throw new HubError(
            "The Hub's answer to the Xet token renewal is malformed: it needs accessToken, exp and casUrl",
            {
              hint: "Nothing was committed; check HF_ENDPOINT and run again",
            },
          );
        }
        token = adopt(answer.casUrl, answer.accessToken, answer.exp);
        return token;
      } finally {
        renewing = undefined;
      }
    })();
    return renewing;
  };

  return {
    sessionId: grant.sessionId,
    async current() {
      const fresh = seconds() < token.renewAt ? token : await renewNow();
      return { casUrl: fresh.casUrl, accessToken: fresh.accessToken };
    },
    async renew(stale) {
      const fresh = token.accessToken !== stale ? token : await renewNow();
      return { casUrl: fresh.casUrl, accessToken: fresh.accessToken };
    },
  };
}
