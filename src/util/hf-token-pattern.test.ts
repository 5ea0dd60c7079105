import { describe, expect, it } from "vitest";
import { hfTokenPattern } from "./hf-token-pattern.js";

// Built at run time so no token-shaped string sits in the repository.
const body30 = "Ab3".repeat(10);

describe("hfTokenPattern", () => {
  it.each<[string, boolean]>([
    ["hf_abc", true],
    ["hf_a-b_C9", true],
    ["hf_", false],
    ["HF_abc", false],
    [" hf_abc", false],
    ["hf_abc ", false],
    ["xhf_abc", false],
    ["hf_ab.c", false],
    ["hf_abc\nhf_def", false],
  ])("a token value %j: %s", (value, accepted) => {
    expect(hfTokenPattern("value").test(value)).toBe(accepted);
  });

  it.each<[string, string[]]>([
    [`Bearer hf_${body30} rejected`, [`hf_${body30}`]],
    [`hf_${body30}9`, [`hf_${body30}9`]],
    [`hf_${body30.slice(1)}`, []],
    [`a hf_${body30}, b hf_${body30}Z`, [`hf_${body30}`, `hf_${body30}Z`]],
    [`xhf_${body30}`, []],
    [`hf_${body30}_suffix`, []],
    [`hf_${body30}-suffix`, [`hf_${body30}`]],
    [`hf_${body30.slice(0, 15)}-${body30.slice(15)}`, []],
    ["hf_transfer and hf_hub_download", []],
  ])("in text %j: %j", (text, found) => {
    expect(text.match(hfTokenPattern("text")) ?? []).toEqual(found);
  });
});
