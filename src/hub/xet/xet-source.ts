import type { FileIdentity } from "../../util/file-identity.js";

/**
 * Where a file's bytes come from, as a worker thread reads them: a file on disk (opened without
 * following links and checked against its identity when opened and after its last byte, as
 * SourceBlob does), or bytes in memory (small generated files). `label` names it in errors (the
 * repo path).
 */
export type XetSource =
  | { readonly kind: "file"; readonly path: string; readonly label: string; readonly identity: FileIdentity }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array; readonly label: string };

/** A run of whole chunks of one source, in order, that goes into a xorb: where it starts and each chunk's size. */
export interface XorbPiece {
  readonly source: XetSource;
  readonly offset: number;
  readonly sizes: readonly number[];
}
