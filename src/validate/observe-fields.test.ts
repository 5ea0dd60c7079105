import { describe, expect, it } from "vitest";
import { observeFields } from "./observe-fields.js";
import type { FieldShape } from "./validated-run.js";

describe("observeFields", () => {
  it("counts the examples' fields, the fields of their objects and of their lists' objects, with types", () => {
    const fields: Record<string, FieldShape> = {};
    observeFields(fields, {
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b" },
      ],
      metadata: { quality: "high", source: "crossvul", score: 0.5 },
    });
    observeFields(fields, { messages: [{ role: "user", content: "c" }], metadata: { quality: 3 }, id: 7 });
    expect(fields).toEqual({
      messages: {
        count: 2,
        types: ["list"],
        items: 3,
        fields: {
          role: { count: 3, types: ["string"], values: ["user", "assistant"] },
          content: { count: 3, types: ["string"] },
        },
      },
      metadata: {
        count: 2,
        types: ["object"],
        fields: {
          quality: { count: 2, types: ["integer", "string"] },
          source: { count: 1, types: ["string"] },
          score: { count: 1, types: ["number"] },
        },
      },
      id: { count: 1, types: ["integer"] },
    });
  });

  it("keeps no content, and no roles once there are too many to be labels", () => {
    const fields: Record<string, FieldShape> = {};
    for (let i = 0; i < 12; i++) {
      observeFields(fields, { messages: [{ role: `role-${i}`, content: `secret text ${i}` }] });
    }
    expect(fields.messages?.fields?.role?.values).toEqual([]);
    expect(JSON.stringify(fields)).not.toContain("secret text");
  });

  it("goes no deeper than the objects an example holds", () => {
    const fields: Record<string, FieldShape> = {};
    observeFields(fields, { metadata: { nested: { deep: 1 } } });
    expect(fields.metadata?.fields?.nested).toEqual({ count: 1, types: ["object"] });
  });
});
