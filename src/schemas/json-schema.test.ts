import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderJsonSchemas } from "./json-schema.js";

describe("schemas/ on disk", () => {
  it("matches the zod schemas (run `npm run schemas` when this fails)", () => {
    const expected = renderJsonSchemas();
    const onDisk = readdirSync("schemas")
      .filter((name) => name.endsWith(".schema.json"))
      .sort();
    expect(onDisk).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) {
      expect(readFileSync(`schemas/${name}`, "utf8"), `schemas/${name} is stale`).toBe(text);
    }
  });
});
