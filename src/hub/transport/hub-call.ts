/** What a plain request to the Hub's API needs: where, as whom, and through which fetch (retries included). */
export interface HubCall {
  hubUrl: string;
  accessToken: string;
  fetch: typeof fetch;
}
