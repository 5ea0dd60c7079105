/** The Hub's CI/staging host, which its own test suites target; uploads there are allowed from tests. */
export const STAGING_HOST = "hub-ci.huggingface.co";

/**
 * Pure: is this Hub URL the production Hugging Face Hub? huggingface.co, hf.co and any subdomain of
 * either, except the hub-ci staging host. Unparsable URLs count as production: when unsure, block.
 */
export function isProductionHub(hubUrl: string): boolean {
  let host: string;
  try {
    host = new URL(hubUrl).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return true;
  }
  if (host === STAGING_HOST) {
    return false;
  }
  return host === "huggingface.co" || host === "hf.co" || host.endsWith(".huggingface.co") || host.endsWith(".hf.co");
}
