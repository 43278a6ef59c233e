/**
 * JSONL inputs with every line-level case a reader must get right, built from the shared demo data:
 * a BOM, CRLF and LF endings, blank and whitespace-only lines, invalid JSON, a JSON array line, rows
 * that fail validation (with a field), exact duplicates, tool-call rows (glaive, ShareGPT), CJK text
 * (Alpaca zh), a format detected only after undetectable lines, an empty file, a one-row file without a
 * final newline, and a file that stops being UTF-8 part-way. `badLines` are the 1-based lines that must
 * be reported invalid.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const GENERAL = join(process.cwd(), "../shared/data/general-sft");
const EXAMPLES = join(process.cwd(), "examples/data");

export interface MessyFile {
  name: string;
  path: string;
  badLines: number[];
}

interface WriteOptions {
  crlf?: (index: number) => boolean;
  bom?: boolean;
  finalNewline?: boolean;
}

function write(dir: string, name: string, lines: Array<string | Buffer>, { crlf = () => false, bom = false, finalNewline = true }: WriteOptions = {}): string {
  const parts: Buffer[] = [];
  if (bom) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  lines.forEach((line, i) => {
    parts.push(typeof line === "string" ? Buffer.from(line) : line);
    if (i < lines.length - 1 || finalNewline) parts.push(Buffer.from(crlf(i) ? "\r\n" : "\n"));
  });
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** Writes the messy files into `dir` with extension `ext` (".jsonl", or ".json" for JSON Lines read the old way). */
export function writeMessyJsonl(dir: string, ext = ".jsonl"): MessyFile[] {
  const chat = readFileSync(join(EXAMPLES, "general-chat.jsonl"), "utf8").trim().split("\n");
  const long = readFileSync(join(EXAMPLES, "long-writing.jsonl"), "utf8").trim().split("\n");
  const glaive = (JSON.parse(readFileSync(join(GENERAL, "glaive_toolcall_en_demo.json"), "utf8")) as unknown[]).map((r) => JSON.stringify(r));
  const zh = (JSON.parse(readFileSync(join(GENERAL, "alpaca_zh_demo.json"), "utf8")) as unknown[]).slice(0, 300).map((r) => JSON.stringify(r));

  const messy: string[] = [];
  const bad: number[] = [];
  const push = (line: string, isBad = false): void => {
    messy.push(line);
    if (isBad) bad.push(messy.length);
  };
  for (const [i, line] of [...chat, ...long].entries()) {
    push(line);
    if (i % 5 === 1) push("");
    if (i % 7 === 2) push("   \t ");
    if (i % 6 === 3) push('{"messages": [{"role": "user"}]}', true); // no content: a field error
    if (i % 9 === 4) push("{not json", true);
    if (i % 11 === 5) push("[1, 2]", true);
    if (i % 4 === 0) push(line); // an exact duplicate
  }
  const files: MessyFile[] = [];
  const add = (name: string, lines: Array<string | Buffer>, badLines: number[], options?: WriteOptions): void => {
    files.push({ name: `${name}${ext}`, path: write(dir, `${name}${ext}`, lines, options), badLines });
  };
  add("messy", messy, bad, { bom: true, crlf: (i) => i % 3 === 0, finalNewline: false });
  add("glaive", ["{broken", '{"unknown": 1}', ...glaive], [1, 2], { crlf: (i) => i % 2 === 0 });
  add("zh", zh, [], { crlf: () => true });
  add("empty", [], []);
  add("tiny", [chat[0]!], [], { finalNewline: false });
  const badUtf8 = Buffer.concat([Buffer.from('{"messages": [{"role": "user", "content": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')]);
  add("bad-utf8", [chat[1]!, chat[2]!, badUtf8, chat[3]!], [3]);
  return files;
}
