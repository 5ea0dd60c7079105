import * as z from "zod/mini";

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
 * Pure: the schema of what the Hub answers at this endpoint, for the endpoints whose answer the tool
 * relies on; undefined for any other (a CAS answer, a file download), whose body is left untouched.
 */
export function hubAnswerSchema(method: string, pathname: string): z.ZodMiniType | undefined {
  return ANSWERS.find((answer) => answer.method === method && answer.path.test(pathname))?.schema;
}
