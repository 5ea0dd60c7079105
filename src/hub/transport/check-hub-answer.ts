import * as z from "zod/mini";
import { englishZodErrors } from "../../util/english-zod-errors.js";

const oid = z.string().check(z.regex(/^[0-9a-f]{40}$/, { error: "must be a 40-character commit id" }));
const entry = z.looseObject({ type: z.string(), path: z.string() });
const ref = z.looseObject({ name: z.string(), targetCommit: oid });
const nonEmpty = z.string().check(z.minLength(1));

/**
 * What the Hub answers, for every endpoint whose answer the tool (or @huggingface/hub on its behalf)
 * relies on. Only the fields that are read are checked; anything else may come and go.
 */
const ANSWERS: ReadonlyArray<{ method: string; path: RegExp; schema: z.ZodMiniType }> = [
  { method: "GET", path: /^\/api\/whoami-v2$/, schema: z.looseObject({ name: nonEmpty }) },
  {
    method: "POST",
    path: /^\/api\/(?:models|datasets)\/.+\/preupload\//,
    schema: z.looseObject({
      files: z.array(z.looseObject({ path: z.string(), uploadMode: z.enum(["lfs", "regular"]) })),
    }),
  },
  {
    method: "POST",
    path: /\.git\/info\/lfs\/objects\/batch$/,
    schema: z.looseObject({
      objects: z.array(z.looseObject({ oid: z.string(), size: z.number() })),
    }),
  },
  {
    method: "POST",
    path: /^\/api\/(?:models|datasets)\/.+\/commit\//,
    schema: z.looseObject({ commitOid: oid, commitUrl: nonEmpty }),
  },
  {
    method: "GET",
    path: /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/revision\//,
    schema: z.looseObject({ sha: z.optional(z.nullable(oid)) }),
  },
  { method: "GET", path: /^\/api\/(?:models|datasets)\/.+\/tree\//, schema: z.array(entry) },
  {
    method: "POST",
    path: /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/paths-info\//,
    schema: z.array(z.looseObject({ path: z.string() })),
  },
  {
    method: "GET",
    path: /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/discussions$/,
    schema: z.looseObject({
      discussions: z.array(
        z.looseObject({ num: z.number(), title: z.string(), status: z.string(), isPullRequest: z.boolean() }),
      ),
      count: z.number(),
      start: z.number(),
    }),
  },
  {
    method: "GET",
    path: /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/refs$/,
    schema: z.looseObject({ branches: z.array(ref), tags: z.array(ref) }),
  },
  {
    method: "GET",
    path: /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/commits\//,
    schema: z.array(z.looseObject({ id: oid, title: z.string(), message: z.optional(z.string()) })),
  },
];

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
  const expected = ANSWERS.find((answer) => answer.method === method && answer.path.test(pathname));
  if (expected === undefined) {
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
  const parsed = expected.schema.safeParse(value, { reportInput: true, error: englishZodErrors });
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
