/**
 * What a blob handed to @huggingface/hub does when reading fails or the user aborts. The library
 * can lose a rejection (and then wait forever, or reject a promise nobody awaits), so reads made
 * on its behalf never reject into it: a failure is reported here and the read simply never ends.
 */
export interface BlobSession {
  signal: AbortSignal | undefined;
  fail(error: unknown): void;
}
