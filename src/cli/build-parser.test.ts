import { afterEach, describe, expect, it, vi } from "vitest";
import { buildParser } from "./build-parser.js";

/** The parser's usage object (yargs internals), with a count of the times it lays out help. */
function countHelp(parser: unknown): () => number {
  const usage = (parser as { getInternalMethods: () => { getUsageInstance: () => { help: (...args: unknown[]) => string } } })
    .getInternalMethods()
    .getUsageInstance();
  let count = 0;
  const help = usage.help;
  usage.help = function (this: unknown, ...args: unknown[]) {
    count += 1;
    return help.apply(this, args);
  };
  return () => count;
}

describe("buildParser", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("runs a command without laying out its help", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const exitCode = process.exitCode;
    const parser = await buildParser(["stats", "examples/data/long-writing.jsonl", "--json"], 80);
    const helpLaidOut = countHelp(parser);
    await parser.parseAsync();
    expect(process.exitCode).toBe(exitCode);
    expect(JSON.parse(out.join(""))).toMatchObject({ file: "examples/data/long-writing.jsonl", stats: expect.any(Object) });
    expect(helpLaidOut()).toBe(0);
  });

  it("still lays out help when asked for it", async () => {
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => out.push(args.join(" ")));
    const parser = await buildParser(["stats", "--help"], 80);
    parser.exitProcess(false);
    await parser.parseAsync();
    expect(out.join("")).toMatch(/longwriter stats/);
  });
});
