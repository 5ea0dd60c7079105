import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
import { AuthError } from "../errors.js";
import { resolveToken } from "./resolve-token.js";

const TOKEN_A = "hf_fake_token_a_for_tests";
const TOKEN_B = "hf_fake_token_b_for_tests";

describe("resolveToken", () => {
  it("prefers --token, then HF_TOKEN, then the first readable token file (trimmed)", async () => {
    const dir = await testdir({ first: `  ${TOKEN_A}\n`, second: TOKEN_B, empty: "\n" });
    const files = [
      path.join(dir, "missing"),
      path.join(dir, "empty"),
      path.join(dir, "first"),
      path.join(dir, "second"),
    ];
    expect(await resolveToken({ flagToken: TOKEN_B, envToken: TOKEN_A, tokenPaths: files })).toEqual({
      token: TOKEN_B,
      source: "--token",
    });
    expect(await resolveToken({ flagToken: undefined, envToken: TOKEN_B, tokenPaths: files })).toEqual({
      token: TOKEN_B,
      source: "HF_TOKEN",
    });
    expect(await resolveToken({ flagToken: undefined, envToken: undefined, tokenPaths: files })).toEqual({
      token: TOKEN_A,
      source: path.join(dir, "first"),
    });
  });

  it("says where it looked when there is no token", async () => {
    const promise = resolveToken({ flagToken: undefined, envToken: undefined, tokenPaths: ["/nonexistent/token"] });
    await expect(promise).rejects.toBeInstanceOf(AuthError);
    await expect(promise).rejects.toMatchObject({ hint: expect.stringContaining("/nonexistent/token") as unknown });
  });

  it("rejects something that is not a Hugging Face token without repeating it", async () => {
    const error = await resolveToken({ flagToken: "ghp_notAnHfToken123", envToken: undefined, tokenPaths: [] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe("The token from --token does not look like a Hugging Face token");
  });
});
