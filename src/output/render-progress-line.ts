import { formatBytes } from "../util/format-bytes.js";
import { formatDuration } from "./format-duration.js";

/** What the progress line shows: one phase, its files and, when sizes are known, its bytes. */
export interface ProgressView {
  /** e.g. "Uploading" */
  label: string;
  filesDone: number;
  filesTotal: number;
  /** 0..1 over the phase's files (by bytes when sizes are known). */
  fraction: number;
  /** Set only when every file in the phase reported its size. */
  bytes: { done: number; total: number } | undefined;
  /** Bytes per second over the last few seconds; undefined until it can be told. */
  rate: number | undefined;
  /** Of the bytes done, those the Hub already held (never sent). */
  dedupedBytes?: number;
}

/**
 * Pure: the one line drawn on a terminal, e.g.
 * "Uploading… 2/5 files · 41% · 210 MiB / 512 MiB · 48.0 MiB/s · ETA 6 s", one part per active
 * step (hashing and uploading may overlap). A step without files shows only its name
 * ("Committing…"): the line is redrawn on events and such a step sends none until it ends, so an
 * elapsed time would stand still. Cut to `width` columns so it never wraps (a wrapped line cannot be erased
 * with a carriage return).
 */
export function renderProgressLine(views: readonly ProgressView[], width?: number): string {
  const line = views.map(renderView).join("  |  ");
  return width !== undefined && width > 1 && line.length >= width ? `${line.slice(0, width - 2)}…` : line;
}

function renderView(view: ProgressView): string {
  if (view.filesTotal === 0) {
    return `${view.label}…`;
  }
  const parts = [`${view.filesDone}/${view.filesTotal} files`, `${Math.floor(Math.min(1, view.fraction) * 100)}%`];
  if (view.bytes !== undefined) {
    parts.push(`${formatBytes(view.bytes.done)} / ${formatBytes(view.bytes.total)}`);
    if (view.dedupedBytes !== undefined) {
      parts.push(`${formatBytes(view.dedupedBytes)} of ${formatBytes(view.bytes.total)} already on the Hub`);
    }
    if (view.rate !== undefined && view.rate > 0) {
      parts.push(`${formatBytes(view.rate)}/s`);
      const left = view.bytes.total - view.bytes.done;
      if (left > 0) {
        parts.push(`ETA ${formatDuration(left / view.rate)}`);
      }
    }
  }
  return `${view.label}… ${parts.join(" · ")}`;
}
