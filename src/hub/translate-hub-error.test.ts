import { describe, expect, it } from "vitest";
import { FileChangedError, HubError, LocalFileError } from "../errors.js";
import { translateHubError } from "./translate-hub-error.js";

const errno = (code: string, extra: { path?: string; syscall?: string } = {}): Error =>
  Object.assign(new Error(`${code}: failed`), { code, ...extra });
const fetchFailed = (cause: Error): Error => Object.assign(new TypeError("fetch failed"), { cause });
const context = {
  action: "uploading to alice/run",
  hubUrl: "https://hub.test",
  aborted: false,
  tracker: { gaveUp: undefined },
};

describe("translateHubError: local problems are never reported as network ones", () => {
  it.each([
    [
      "too many open files reading a file",
      errno("EMFILE", { path: "/run/a.txt", syscall: "open" }),
      LocalFileError,
      /^Could not read \/run\/a\.txt for the upload \(EMFILE\)$/,
    ],
    [
      "a file that cannot be read",
      errno("EACCES", { path: "/run/a.txt", syscall: "open" }),
      LocalFileError,
      /^Could not read \/run\/a\.txt for the upload \(EACCES\)$/,
    ],
    [
      "a folder where a file was",
      errno("EISDIR", { path: "/run/a", syscall: "read" }),
      LocalFileError,
      /^Could not read \/run\/a for the upload \(EISDIR\)$/,
    ],
    [
      "a file that vanished",
      errno("ENOENT", { path: "/run/a.txt", syscall: "open" }),
      FileChangedError,
      /^\/run\/a\.txt changed while it was being uploaded$/,
    ],
    [
      "sockets exhausted the file descriptors",
      fetchFailed(errno("EMFILE", { syscall: "connect" })),
      LocalFileError,
      /^Too many open files while uploading to alice\/run \(EMFILE\)$/,
    ],
    [
      "a dropped connection",
      fetchFailed(errno("ECONNRESET", { syscall: "read" })),
      HubError,
      /^Could not reach the Hub at https:\/\/hub\.test while uploading to alice\/run: ECONNRESET$/,
    ],
    [
      "an unknown host",
      fetchFailed(errno("ENOTFOUND", { syscall: "getaddrinfo" })),
      HubError,
      /^Could not reach the Hub at .*: ENOTFOUND$/,
    ],
    [
      "our own attempt time limit",
      Object.assign(new Error("no complete answer within 200 ms"), { name: "TimeoutError", code: "ETIMEDOUT" }),
      HubError,
      /^The Hub at https:\/\/hub\.test did not answer in time while uploading to alice\/run: no complete answer within 200 ms$/,
    ],
  ])("%s", (_name, error, type, message) => {
    const translated = translateHubError(error, context);
    expect(translated).toBeInstanceOf(type);
    expect(translated.message).toMatch(message);
    expect(translated.exitCode).toBe(1);
    if (type !== HubError) {
      expect(`${translated.message} ${translated.hint ?? ""}`).not.toMatch(/network/i);
    }
  });
});

describe("translateHubError: a 403's hint names the setting that chose the namespace", () => {
  const forbidden = Object.assign(new Error("You don't have the rights to create a model under this namespace"), {
    statusCode: 403,
  });
  it.each([
    ["--repo", /give --repo a repo you can write to$/, /repo_prefix|repo_id/],
    ["huggingface.repo_id", /set huggingface\.repo_id to a repo you can write to$/, /repo_prefix|--repo/],
    ["prefix", /set huggingface\.repo_prefix to one you can write to$/, /repo_id|--repo/],
  ] as const)("namespace from %s", (namespaceSource, hint, never) => {
    const error = translateHubError(forbidden, { ...context, namespaceSource });
    expect(error.hint).toMatch(hint);
    expect(error.hint).not.toMatch(never);
  });
});
