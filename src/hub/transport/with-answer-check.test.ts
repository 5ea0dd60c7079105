import { describe, expect, it } from "vitest";
import { HubError } from "../../errors.js";
import { withAnswerCheck } from "./with-answer-check.js";

const HUB = "https://hub.test";

/** A `send` that answers every request with `response` (the network boundary of withAnswerCheck). */
const answering =
  (response: () => Response): typeof fetch =>
  () =>
    Promise.resolve(response());

describe("withAnswerCheck", () => {
  it("leaves an answer it does not check untouched: a CAS shard on the Hub's own host arrives byte for byte", async () => {
    // Bytes that are not UTF-8: read as text and re-encoded, they would come back as U+FFFD.
    const shard = new Uint8Array([0x48, 0x46, 0xff, 0xfe, 0x80, 0x00, 0xc3, 0x28]);
    const send = withAnswerCheck(
      answering(() => new Response(shard, { headers: { "content-type": "application/octet-stream" } })),
      HUB,
    );
    const response = await send(`${HUB}/__xet/v1/chunks/default-merkledb/${"0".repeat(64)}`);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([...shard]);
  });

  it("still refuses a malformed answer from an endpoint it checks", async () => {
    const send = withAnswerCheck(
      answering(() => new Response("<html>login</html>", { headers: { "content-type": "text/html" } })),
      HUB,
    );
    await expect(send(`${HUB}/api/whoami-v2`)).rejects.toThrow(HubError);
    await expect(send(`${HUB}/api/whoami-v2`)).rejects.toThrow(/answered an HTML page instead of JSON/);
  });
});
