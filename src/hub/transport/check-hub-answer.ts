import { englishZodErrors } from "../../util/english-zod-errors.js";
import { hubAnswerSchema } from "./hub-answer-schema.js";

/**
 * Pure: what is wrong with a successful (2xx) answer of the Hub, or undefined when it is what the
 * protocol says (or comes from an endpoint we do not read). A commit answered `{}` is a failure, not
 * a success with an undefined commit.
 */
export function checkHubAnswer(
  method: string,
  pathname: string,
  contentType: string,
  body: string,
): string | undefined {
  const schema = hubAnswerSchema(method, pathname);
  if (schema === undefined) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const kind =
      /html/i.test(contentType) || /^\s*</.test(body)
        ? "an HTML page"
        : body.trim() === ""
          ? "an empty body"
          : "text that is not JSON";
    return `answered ${kind} instead of JSON`;
  }
  // Without reportInput zod leaves `input` out of every issue, and every wrong type would read as missing.
  const parsed = schema.safeParse(value, { reportInput: true, error: englishZodErrors });
  if (parsed.success) {
    return undefined;
  }
  // A failed parse always has an issue; the guard is for the index's type.
  const issue = parsed.error.issues[0];
  if (issue === undefined) {
    return "the answer is malformed";
  }
  const where = issue.path.length === 0 ? "the answer" : issue.path.map(String).join(".");
  if (issue.code === "invalid_type") {
    return issue.input == null ? `${where} is missing` : `${where} is not of type ${issue.expected}`;
  }
  return `${where} ${issue.message}`;
}
