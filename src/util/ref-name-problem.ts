/**
 * Pure: why `name` cannot be the last part of a git ref such as `refs/tags/<name>`, by the rules of
 * `git check-ref-format`, or undefined when it can. The Hub stores tags and branches as git refs and
 * answers 400 for a name git refuses.
 */
export function refNameProblem(name: string): string | undefined {
  if (name === "") {
    return "it is empty";
  }
  // eslint-disable-next-line no-control-regex
  const control = /[\x00-\x1f\x7f]/.exec(name);
  if (control !== null) {
    return `it contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")})`;
  }
  if (name.includes(" ")) {
    return "it contains a space";
  }
  const forbidden = ["..", "@{", "~", "^", ":", "?", "*", "[", "\\"].find((sequence) => name.includes(sequence));
  if (forbidden !== undefined) {
    return `it contains "${forbidden}"`;
  }
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) {
    return "it has an empty part between slashes";
  }
  if (name.endsWith(".")) {
    return 'it ends with "."';
  }
  for (const part of name.split("/")) {
    if (part.startsWith(".")) {
      return `${part === name ? "it" : `its part "${part}"`} starts with "."`;
    }
    if (part.endsWith(".lock")) {
      return `${part === name ? "it" : `its part "${part}"`} ends with ".lock"`;
    }
  }
  return undefined;
}
