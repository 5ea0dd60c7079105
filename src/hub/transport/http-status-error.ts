/**
 * A Hub or storage answer with an error status, as translateHubError reads it (the same shape as
 * @huggingface/hub's HubApiError, which stays inside create-hub-client.ts).
 */
export class HttpStatusError extends Error {
  readonly statusCode: number;
  readonly requestId: string | undefined;

  constructor(statusCode: number, message: string, requestId?: string) {
    super(message);
    this.name = "HttpStatusError";
    this.statusCode = statusCode;
    this.requestId = requestId;
  }
}
