import { HubError } from "../../errors.js";
import { describeEndpoint } from "../../util/describe-endpoint.js";
import { requestUrl } from "../../util/request-url.js";
import { checkHubAnswer } from "./check-hub-answer.js";
import { hubAnswerSchema } from "./hub-answer-schema.js";

/**
 * Checks every successful answer the tool relies on before anyone reads it: a malformed answer is
 * one clear error naming the endpoint (never "Cannot read properties of undefined", never a commit
 * reported with an undefined id). Such an error is final: it is not retried.
 */
export function withAnswerCheck(send: typeof fetch, hubUrl: string): typeof fetch {
  const hubOrigin = new URL(hubUrl).origin;
  return async (input, init) => {
    const response = await send(input, init);
    const url = requestUrl(input);
    const method = (init?.method ?? "GET").toUpperCase();
    const parsed = new URL(url);
    const path = decodeURIComponent(parsed.pathname);
    // Only answers we check are read here: any other (a CAS answer in binary, a download) passes untouched.
    if (
      !response.ok ||
      parsed.origin !== hubOrigin ||
      response.status === 204 ||
      hubAnswerSchema(method, path) === undefined
    ) {
      return response;
    }
    const body = await response.text();
    const problem = checkHubAnswer(method, path, response.headers.get("content-type") ?? "", body);
    if (problem !== undefined) {
      throw new HubError(`The Hub's answer to ${describeEndpoint(method, url, hubOrigin)} is malformed: ${problem}`, {
        hint: "Nothing was taken for granted from it; check HF_ENDPOINT (a proxy or a login page?) and run again",
        statusCode: response.status,
        ...(response.headers.get("x-request-id") === null
          ? {}
          : { requestId: response.headers.get("x-request-id") ?? "" }),
      });
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
