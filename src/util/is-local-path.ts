/**
 * Pure: does a string look like a path on the training machine? Absolute POSIX paths with at least
 * two segments, home-relative and dot-relative paths, Windows drive and UNC paths. URLs and Hub ids
 * ("allenai/OLMo-2-0425-1B") are not paths.
 */
export function isLocalPath(value: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return false;
  }
  return (
    /^\/[^/\s]+\/./.test(value) ||
    /^~(\/|$)/.test(value) ||
    /^\.{1,2}\//.test(value) ||
    /^[A-Za-z]:[\\/]/.test(value) ||
    /^\\\\[^\\]/.test(value)
  );
}
