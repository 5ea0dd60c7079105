import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { readCardData } from "../read-card-data.js";
import { validateFrontMatter } from "../validate-front-matter.js";

/**
 * `POST /api/validate-yaml` `{content, repoType}`, answered in the Hub's shapes: 400 with the problem as
 * `error` and in `errors: [{message}]`, or 200 `{warnings: [{message}]}`; a card without metadata is
 * valid but warned about, as the Hub does.
 */
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
  if (problem) {
    return hubError(400, problem, undefined, { errors: [{ message: problem }] });
  }
  const metadata = readCardData(body.content);
  return jsonResponse({
    warnings:
      metadata === undefined || Object.keys(metadata).length === 0
        ? [
            {
              message: `empty or missing yaml metadata in repo card (https://huggingface.co/docs/hub/${repoType}-cards#${repoType}-card-metadata)`,
            },
          ]
        : [],
  });
}
