import { z } from "zod";

const oid = z.string().regex(/^[0-9a-f]{40}$/, { error: "must be a 40-character commit id" });
const entry = z.object({ type: z.string(), path: z.string() }).loose();
const ref = z.object({ name: z.string(), targetCommit: oid }).loose();

/**
 * What the Hub answers, for every endpoint whose answer the tool (or @huggingface/hub on its behalf)
 * relies on. Only the fields that are read are checked; anything else may come and go.
 */
const ANSWERS: ReadonlyArray<{ method: string; path: RegExp; schema: z.ZodType }> = [
  { method: "GET", path: /^\/api\/whoami-v2$/, schema: z.object({ name: z.string().min(1) }).loose() },
  {
    method: "POST",
    path: /^\/api\/(?:models|datasets)\/.+\/preupload\//,
    schema: z
      .object({
        files: z.array(z.object({ path: z.string(), uploadMode: z.enum(["lfs", "regular"]) }).loose()),
      })
      .loose(),
  },
  {
    method: "POST",
    path: /\.git\/info\/lfs\/objects\/batch$/,
    schema: z
      .object({
        objects: z.array(z.object({ oid: z.string(), size: z.number() }).loose()),
      })
      .loose(),
  },
  {
    method: "POST",
    path: /^\/api\/(?:models|datasets)\/.+\/commit\//,
    schema: z.object({ commitOid: oid, commitUrl: z.string().min(1) }).loose(),
  },
  {
    method: "GET",
    path: /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/revision\//,
    schema: z.object({ sha: oid.nullable().optional() }).loose(),
  },
  { method: "GET", path: /^\/api\/(?:models|datasets)\/.+\/tree\//, schema: z.array(entry) },
  {
    method: "GET",
    path: /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/refs$/,
    schema: z.object({ branches: z.array(ref), tags: z.array(ref) }).loose(),
  },
  {
    method: "GET",
    path: /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/commits\//,
    schema: z.array(z.object({ id: oid, title: z.string(), message: z.string().optional() }).loose()),
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
  const parsed = expected.schema.safeParse(value, { reportInput: true });
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
