import { describe, expect, it } from "vitest";
import { ValidationError, HubError } from "../errors.js";
import { formatError } from "./format-error.js";
import { maskSecrets } from "./mask-secrets.js";

describe("maskSecrets", () => {
  it("masks the given secrets and anything token-shaped", () => {
    expect(maskSecrets("a hf_short1 b", ["hf_short1"])).toBe("a hf_*** b");
    // Built at run time so no token-shaped string sits in the repository.
    const tokenShaped = `hf_${"Ab3".repeat(11)}`;
    expect(maskSecrets(`Bearer ${tokenShaped} rejected`, [])).toBe("Bearer hf_*** rejected");
    expect(maskSecrets("hf_transfer and hf_hub are fine", [])).toBe("hf_transfer and hf_hub are fine");
  });

  const token = "hf_fake_token_for_the_masking_tests";
  // Exact forms: every 4-character base64 block made of token bytes alone is masked, and a block that
  // also holds a neighbour's byte stays, so what surrounds the token is not eaten.
  const bearer = Buffer.from(`Authorization: Bearer ${token}`).toString("base64");
  const userName = Buffer.from(`${token}:x-oauth-basic`).toString("base64");
  // A secret that is no token (a mistyped HF_TOKEN is masked too) whose base64 has "+" and "/".
  const symbols = "ok?no~".repeat(4);
  it.each([
    ["a prefix the server echoed", `invalid token ${token.slice(0, 16)}...`, "invalid token hf_***..."],
    ["a fragment from the middle", `token ending ${token.slice(-14)} expired`, "token ending hf_*** expired"],
    ["the URL-encoded token", `GET /x?token=${encodeURIComponent(token)}&a=1`, "GET /x?token=hf_***&a=1"],
    [
      "a Basic auth header",
      `Authorization: Basic ${Buffer.from(`alice:${token}`).toString("base64")}`,
      /^Authorization: Basic [A-Za-z0-9+/=]{0,8}hf_\*\*\*[A-Za-z0-9+/=]{0,4}$/,
    ],
    [
      "the base64 token",
      `seen ${Buffer.from(token).toString("base64")} there`,
      /^seen hf_\*\*\*[A-Za-z0-9+/=]{0,4} there$/,
    ],
    [
      "the base64url token, shifted",
      `x=${Buffer.from(`ab${token}`).toString("base64url")}`,
      /^x=[A-Za-z0-9_-]{0,4}hf_\*\*\*[A-Za-z0-9_-]{0,4}$/,
    ],
    // "Authorization: Bearer " is 22 bytes: its 8 blocks (32 characters) stay, the token's 11 go.
    ["a base64 Bearer header, up to its last block", bearer, `${bearer.slice(0, 32)}hf_***`],
    // The token's 35 bytes fill 11 blocks (44 characters); the 12th also holds ":".
    ["a base64 Basic header with the token as user", `Basic ${userName}`, `Basic hf_***${userName.slice(44)}`],
    ["a base64url secret with - and _", `cookie=${Buffer.from(symbols).toString("base64url")};`, "cookie=hf_***;"],
    ["11 characters are not a secret's fragment", `tok ${token.slice(3, 14)} ok`, `tok ${token.slice(3, 14)} ok`],
  ])("masks %s", (_name, text, expected) => {
    const masked = maskSecrets(text, [token, symbols]);
    if (typeof expected === "string") {
      expect(masked).toBe(expected);
    } else {
      expect(masked).toMatch(expected);
    }
  });
});

describe("maskSecrets: which secrets and where", () => {
  const token = "hf_fake_token_for_the_masking_tests";
  const other = "second-secret-value-for-tests";
  it.each<[string, string, string[], string]>([
    ["a secret of 4 characters", "key=abcd;", ["abcd"], "key=hf_***;"],
    ["shorter ones are no secrets", "abc is fine", ["abc"], "abc is fine"],
    ["every occurrence", `${token} and ${token}`, [token], "hf_*** and hf_***"],
    ["every secret", `a ${token} b ${other} c`, [token, other], "a hf_*** b hf_*** c"],
    ["a fragment at the very start", `${token.slice(0, 15)} was rejected`, [token], "hf_*** was rejected"],
    ["a fragment at the very end", `rejected: ${token.slice(-12)}`, [token], "rejected: hf_***"],
    ["a text that is one fragment", token.slice(5, 17), [token], "hf_***"],
    ["two fragments apart", `${token.slice(0, 12)} / ${token.slice(-12)}`, [token], "hf_*** / hf_***"],
    ["a fragment of the second secret", `x${other.slice(4, 20)}x`, [token, other], "xhf_***x"],
    ["a text shorter than a fragment", token.slice(0, 11), [token], token.slice(0, 11)],
    ["no secrets", `value ${token.slice(0, 12)}`, [], `value ${token.slice(0, 12)}`],
  ])("%s", (_name, text, secrets, expected) => {
    expect(maskSecrets(text, secrets)).toBe(expected);
  });
});

describe("formatError", () => {
  it("gives one line with the fix, and the documented exit code", () => {
    const { text, exitCode } = formatError(new HubError("The Hub answered 500", { hint: "try again later" }), {
      verbose: false,
    });
    expect(text).toBe("Error: The Hub answered 500 — try again later\n");
    expect(exitCode).toBe(1);
  });
  it("lists every validation problem under the headline", () => {
    const error = new ValidationError("Run x failed validation (2 problems)", [
      { file: "", message: "no model artifacts" },
      { file: "a.json", message: "invalid JSON" },
    ]);
    expect(formatError(error, { verbose: false })).toEqual({
      text: "Error: Run x failed validation (2 problems)\n  - (run folder): no model artifacts\n  - a.json: invalid JSON\n",
      exitCode: 3,
    });
  });
  it("reports unexpected errors as bugs, with the stack only when verbose", () => {
    const bug = new TypeError("undefined is not a function");
    expect(formatError(bug, { verbose: false }).text).toMatch(
      /^Internal error: undefined is not a function — this is a bug.*\n$/,
    );
    expect(formatError(bug, { verbose: false }).text).not.toContain("    at ");
    expect(formatError(bug, { verbose: true }).text).toContain("    at ");
  });
});
