// Writes JSON Schema for every published record and recipe schema into schemas/ (npm run schemas).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderJsonSchemas } from "../src/schemas/json-schema.js";

const dir = "schemas";
mkdirSync(dir, { recursive: true });
const files = renderJsonSchemas();
for (const name of readdirSync(dir)) if (name.endsWith(".schema.json") && !(name in files)) rmSync(join(dir, name));
for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
console.log(`wrote ${Object.keys(files).length} schemas to ${dir}/`);
