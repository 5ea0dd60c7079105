import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { validateFrontMatter } from "../validate-front-matter.js";

/** `POST /api/validate-yaml` `{content, repoType}`: 400 with the problem, or `{warnings: []}`. */
export async function validateYamlRoute(request: Request): Promise<Response> {
  const body = (await request.json().catch(() => undefined)) as { content?: unknown; repoType?: unknown } | undefined;
  if (body === undefined || typeof body.content !== "string") {
    return hubError(400, 'Expected a JSON body {"content": string, "repoType"?: "model" | "dataset"}');
  }
  const repoType = body.repoType ?? "model";
  if (repoType !== "model" && repoType !== "dataset") {
    return hubError(
      400,
      `Unsupported repoType ${JSON.stringify(repoType)}: the emulator checks model and dataset cards`,
    );
  }
  const problem = validateFrontMatter(body.content, repoType);
  return problem ? hubError(400, problem) : jsonResponse({ warnings: [] });
}
