import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findSecrets } from "./find-secrets.js";

// Built at run time so no secret-shaped string sits in the repository.
const HF = `hf_${"Q1w2E3r4T5".repeat(4)}`;
const WANDB = "0123456789abcdef".repeat(3).slice(0, 40);
const AWS_ID = `AKIA${"QWERTYUIOP123456"}`;
const GIT_ID = createHash("sha1").update("a commit").digest("hex");
const SHA256 = createHash("sha256").update("a file").digest("hex");
const b64 = (text: string): string => Buffer.from(text).toString("base64");

const found = (text: string): Array<[number, string, string, string]> =>
  findSecrets(text).map((hit) => [hit.line, hit.kind, hit.masked, hit.encoding]);

describe("findSecrets", () => {
  it.each([
    ["env line", `export WANDB_API_KEY=${WANDB}`],
    ["python environ", `os.environ["WANDB_API_KEY"] = "${WANDB}"`],
    ["JSON api_key", `{"wandb": {"project": "olmo", "api_key": "${WANDB}"}}`],
    ["wandb netrc log line", `wandb: Appending key for api.wandb.ai to your netrc: ${WANDB}`],
    ["wandb login", `$ wandb login ${WANDB}`],
    ["netrc on one line", `machine api.wandb.ai login user password ${WANDB}`],
    ["W&B Server key", `WANDB_API_KEY=local-${WANDB}`],
  ])("finds a W&B key: %s", (_, text) => {
    expect(findSecrets(text).map((hit) => hit.kind)).toEqual(["W&B API key"]);
  });

  it.each([
    ["a bare git commit id", `commit ${GIT_ID}`],
    ["a git id in a wandb line", `wandb: Run data is saved locally; git commit ${GIT_ID}`],
    ["a sha256", `sha256:${SHA256}  adapters.safetensors`],
    ["an api_key_sha key", `"api_key_sha1": "${GIT_ID}"`],
    ["uppercase hex after api_key", `api_key = ${GIT_ID.toUpperCase()}`],
    ["a base64 of binary", `blob ${Buffer.from(createHash("sha512").update("x").digest()).toString("base64")}`],
    ["a long path", "/Users/trainer/shared-olmo-models/fine-tuned/webauthn-security-sequential_20250926/adapters"],
  ])("finds nothing in %s", (_, text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it("reads through string escapes, keeping the lines of the text", () => {
    const text = [
      "{",
      `  "text": ["step 1\\nWANDB_API_KEY=${WANDB}\\n"],`,
      `  "note": "hf\\u005f${HF.slice(3)}",`,
      `  "plain": "${HF}",`,
      `  "python": 'AKIA\\x51${AWS_ID.slice(5)}'`,
      "}",
    ].join("\n");
    expect(found(text)).toEqual([
      [2, "W&B API key", "012345…", "escaped"],
      [3, "Hugging Face token", "hf_Q1w…", "escaped"],
      [4, "Hugging Face token", "hf_Q1w…", "plain"],
      [5, "AWS access key id", "AKIAQW…", "escaped"],
    ]);
  });

  it("decodes base64 and base64url runs that decode to text, also behind an escape", () => {
    const urlSafe = Buffer.from(`??>${HF}`).toString("base64url");
    const text = [
      `{"auth": "${b64(`Bearer ${HF}`)}"}`,
      `token=${urlSafe}`,
      `"data": "line\\n${b64(`aws ${AWS_ID} key`)}"`,
      `glued_${b64(`x ${HF}`)}`,
    ].join("\n");
    expect(found(text)).toEqual([
      [1, "Hugging Face token", "hf_Q1w…", "base64"],
      [2, "Hugging Face token", "hf_Q1w…", "base64"],
      [3, "AWS access key id", "AKIAQW…", "base64"],
      [4, "Hugging Face token", "hf_Q1w…", "base64"],
    ]);
  });

  it("counts each place a plain secret appears, and a decoded one once per line", () => {
    const text = `${HF} and ${HF} and ${b64(HF)} ${b64(HF)}\n"${HF}\\n"`;
    expect(found(text)).toEqual([
      [1, "Hugging Face token", "hf_Q1w…", "plain"],
      [1, "Hugging Face token", "hf_Q1w…", "plain"],
      [2, "Hugging Face token", "hf_Q1w…", "plain"],
    ]);
  });

  it("numbers lines from firstLine", () => {
    expect(findSecrets(`a\nb ${HF}`, 41).map((hit) => [hit.line, hit.column])).toEqual([[42, 3]]);
  });
});
