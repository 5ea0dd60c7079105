/** The URL of a fetch input, whichever of its three forms it comes in. */
export function requestUrl(input: string | URL | Request): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}
