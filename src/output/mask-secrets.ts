/** Anything shaped like a Hugging Face user access token, even one we were not told about. */
const TOKEN_SHAPE = /hf_[A-Za-z0-9]{20,}/g;

/** Pure: replaces the given secrets, and anything token-shaped, with "hf_***". */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length >= 4) {
      masked = masked.split(secret).join("hf_***");
    }
  }
  return masked.replace(TOKEN_SHAPE, "hf_***");
}
