import { readFile } from "node:fs/promises";
import { AuthError } from "../errors.js";
import { hfTokenPattern } from "../util/hf-token-pattern.js";

export interface ResolvedToken {
  token: string;
  /** Where it came from, safe to print: "--token", "HF_TOKEN", or the file path. */
  source: string;
}

/**
 * Token precedence, as huggingface_hub resolves it: --token > HF_TOKEN > the first readable token
 * file (HF_TOKEN_PATH, $HF_HOME/token, ~/.cache/huggingface/token). Whitespace is trimmed. The token
 * itself never appears in a message.
 */
export async function resolveToken(params: {
  flagToken: string | undefined;
  envToken: string | undefined;
  tokenPaths: readonly string[];
}): Promise<ResolvedToken> {
  let resolved: ResolvedToken | undefined;
  const flag = params.flagToken?.trim();
  if (flag) {
    resolved = { token: flag, source: "--token" };
  } else if (params.envToken) {
    resolved = { token: params.envToken, source: "HF_TOKEN" };
  } else {
    for (const file of params.tokenPaths) {
      const text = await readFile(file, "utf8").catch(() => undefined);
      const token = text?.trim();
      if (token) {
        resolved = { token, source: file };
        break;
      }
    }
  }
  if (resolved === undefined) {
    throw new AuthError("No Hugging Face token found", {
      hint: `Set HF_TOKEN, or run "hf auth login" (looked in ${params.tokenPaths.join(", ")})`,
    });
  }
  if (!hfTokenPattern("value").test(resolved.token)) {
    throw new AuthError(`The token from ${resolved.source} does not look like a Hugging Face token`, {
      hint: 'Tokens start with "hf_"; create one with write access at https://huggingface.co/settings/tokens',
    });
  }
  return resolved;
}
