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
  /**
   * Set only when every file in the phase reported its size. `deduped`: bytes the storage already
   * had, so they counted as done without being sent (set when the events report it).
   */
  bytes: { done: number; total: number; deduped?: number } | undefined;
  /** Bytes per second actually sent (or read) over the last few seconds; undefined until it can be told. */
  rate: number | undefined;
  /** How long a step without files (committing, say) has been running, in ms, once it can be told. */
  elapsedMs?: number | undefined;
}

/** A piece of the line and how soon it goes when the line does not fit: higher goes first. */
interface Part {
  text: string;
  drop: number;
}

/**
 * The order pieces are given up in on a narrow terminal: first the file count, then what the storage
 * already had, then the byte counts, then the other steps, then the step's name, then the
 * percentage; rate and ETA stay to the end, as they are what someone watching wants to know.
 */
const DROP = { files: 6, deduped: 5, bytes: 4, otherViews: 3, label: 2, percent: 1 } as const;

/** An ETA is shown once this much of a step is done. */
const MIN_FRACTION_FOR_ETA = 0.01;

function parts(view: ProgressView): Part[] {
  if (view.filesTotal === 0) {
    const elapsed =
      view.elapsedMs === undefined || view.elapsedMs < 1000 ? "" : ` ${formatDuration(view.elapsedMs / 1000)}`;
    return [{ text: `${view.label}…${elapsed}`, drop: 0 }];
  }
  const list: Part[] = [
    { text: `${view.label}…`, drop: DROP.label },
    { text: `${view.filesDone}/${view.filesTotal} files`, drop: DROP.files },
    { text: `${Math.floor(Math.min(1, view.fraction) * 100)}%`, drop: DROP.percent },
  ];
  if (view.bytes !== undefined) {
    const { done, total, deduped } = view.bytes;
    list.push({ text: `${formatBytes(done)} / ${formatBytes(total)}`, drop: DROP.bytes });
    if (deduped !== undefined && deduped > 0) {
      list.push({ text: `${formatBytes(deduped)} of ${formatBytes(total)} already on the Hub`, drop: DROP.deduped });
    }
    if (view.rate !== undefined && view.rate > 0) {
      list.push({ text: `${formatBytes(Math.round(view.rate))}/s`, drop: 0 });
      // Before a hundredth is done the rate says little about the rest (small files go first, large ones
      // may still be hashing): an ETA of hours that turns into seconds helps nobody.
      if (total - done > 0 && done >= total * MIN_FRACTION_FOR_ETA) {
        list.push({ text: `ETA ${formatDuration((total - done) / view.rate)}`, drop: 0 });
      }
    }
  }
  return list;
}

function join(kept: readonly Part[]): string {
  const [first, ...rest] = kept;
  if (first === undefined) {
    return "";
  }
  // The name reads "Uploading… 41% · …": a space after it, dots between the figures.
  return first.drop === DROP.label || rest.length === 0
    ? [first.text, rest.map((part) => part.text).join(" · ")].filter((text) => text !== "").join(" ")
    : [first, ...rest].map((part) => part.text).join(" · ");
}

/**
 * Pure: the one progress line, e.g.
 * "Uploading… 2/5 files · 41% · 210 MiB / 512 MiB · 48.0 MiB/s · ETA 6 s", one part per active
 * step (hashing and uploading may overlap). A step without files shows its name and, once it has run
 * a second, for how long ("Committing… 12 s"). With a `width` (a terminal's) the line never reaches the
 * last column, since a wrapped line cannot be erased with a carriage return: pieces are given up in
 * the order of DROP, the last step (the newest) kept longest, and only what still does not fit is cut.
 */
export function renderProgressLine(views: readonly ProgressView[], width?: number): string {
  const all = views.map(parts);
  const render = (level: number): string => {
    const shown = level > DROP.otherViews ? all : all.slice(-1);
    return shown.map((list) => join(list.filter((part) => part.drop < level || part.drop === 0))).join("  |  ");
  };
  const full = render(Number.POSITIVE_INFINITY);
  if (width === undefined || width <= 1 || full.length < width) {
    return full;
  }
  for (const level of [DROP.files, DROP.deduped, DROP.bytes, DROP.otherViews, DROP.label, DROP.percent]) {
    const line = render(level);
    if (line.length < width) {
      return line;
    }
  }
  const line = render(DROP.percent);
  return `${line.slice(0, Math.max(0, width - 2))}…`;
}
