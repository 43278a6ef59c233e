/** @module schemas/json-schema — renders the published zod schemas as JSON Schema files. */
import { z } from "zod";
import { publishedSchemas } from "./registry.js";

/** File name → pretty-printed JSON Schema text, for every published schema. */
export function renderJsonSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(publishedSchemas)) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
    const withId = { $id: `https://longwriter-toolkit.dev/schemas/${name}.schema.json`, title: name, ...json };
    files[`${name}.schema.json`] = `${JSON.stringify(withId, null, 2)}\n`;
  }
  return files;
}
