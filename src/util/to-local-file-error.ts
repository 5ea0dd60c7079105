import { FileChangedError, LocalFileError } from "../errors.js";

/** Codes that mean the file is no longer the one we checked, rather than that we may not read it. */
const GONE = new Set(["ENOENT", "ELOOP", "ENOTDIR"]);
const TOO_MANY_OPEN = new Set(["EMFILE", "ENFILE"]);

/**
 * A failed open or read of a local file, as the error the user should see: the file vanished or
 * became a symbolic link (it changed under us), or it cannot be read here (and why). Never a
 * network error, whatever layer it surfaced in.
 */
export function toLocalFileError(
  error: unknown,
  file: { path: string; label?: string | undefined },
): FileChangedError | LocalFileError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && GONE.has(code)) {
    return new FileChangedError(file.label ?? file.path, { cause: error });
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new LocalFileError(`Could not read ${file.path} for the upload (${reason})`, {
    hint:
      code !== undefined && TOO_MANY_OPEN.has(code)
        ? "Too many files are open: raise the limit (ulimit -n) and run again"
        : code === "EACCES" || code === "EPERM"
          ? "Make the file readable by this user, then run again"
          : code === "EISDIR"
            ? "A folder now stands where the file was; re-run when training has finished writing"
            : "Check the file and the disk, then run again",
    cause: error,
    path: file.path,
    ...(code === undefined ? {} : { code }),
  });
}
