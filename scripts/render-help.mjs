// Build step: renders `longwriter [<command>] --help` with the built parser at each common width and stores it
// as dist/cli/help.json, which the CLI prints without loading yargs (src/cli/prerendered-help.ts).
// Usage: node scripts/render-help.mjs [dist dir, default: dist]
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = resolve(process.argv[2] ?? "dist");
const { PRERENDERED_HELP_FILE, renderHelpTable } = await import(pathToFileURL(resolve(dist, "cli", "prerendered-help.js")).href);
const file = fileURLToPath(PRERENDERED_HELP_FILE);
// A table from an earlier build must not outlive a failed render.
rmSync(file, { force: true });
const table = await renderHelpTable();
writeFileSync(`${file}.tmp`, `${JSON.stringify(table)}\n`);
renameSync(`${file}.tmp`, file);
// Loading every command may leave handles open; the table is written.
process.exit(0);
