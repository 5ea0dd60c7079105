import { describe, expect, it } from "vitest";
import { helpText } from "../help-text.js";
import { wrapHelp } from "./wrap-help.js";

const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== "");

describe("wrapHelp", () => {
  it.each([40, 60, 80, 120, 200])("fits the real --help into %i columns, losing and reordering no word", (width) => {
    const text = helpText();
    const wrapped = wrapHelp(text, width);
    const tooLong = wrapped.split("\n").filter((line) => line.length > width && words(line).length > 1);
    expect(tooLong).toEqual([]);
    expect(words(wrapped)).toEqual(words(text));
  });

  it("reflows a paragraph and keeps a heading on its own line", () => {
    expect(wrapHelp("One two three\nfour five six.\n\nOptions:\n", 14)).toBe(
      "One two three\nfour five six.\n\nOptions:\n",
    );
    expect(wrapHelp("One two three\nfour five six.", 30)).toBe("One two three four five six.");
  });

  it("wraps a table row with its text's continuation under where the text starts", () => {
    expect(wrapHelp("  --model-dir <value>   Folder holding the runs, or a run folder itself", 50)).toBe(
      ["  --model-dir <value>   Folder holding the runs,", "                        or a run folder itself"].join("\n"),
    );
  });

  it("moves the text under its flag when beside it there is too little room", () => {
    expect(wrapHelp("  --mlx-lora-scaling <modern|legacy>   Only for adapter configs of mlx-lm 0.14", 40)).toBe(
      ["  --mlx-lora-scaling <modern|legacy>", "        Only for adapter configs of", "        mlx-lm 0.14"].join("\n"),
    );
  });

  it("leaves a line that fits as it is", () => {
    const line = "  HF_TOKEN      Hub token";
    expect(wrapHelp(line, 80)).toBe(line);
  });
});
