/**
 * Library code throws only the toolkit's error family, so a caller catches one thing
 * (`ToolkitError.isInstance(e)` or `e instanceof ToolkitError`) and reads `code`, `exitCode` and, where
 * they apply, file, line and field. The CLI (src/cli) is the edge and may do as it likes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, InputError, OptionError, ToolkitError } from "../src/errors.js";
import { HubError } from "../src/hub/hub-error.js";
import { LengthLimitError } from "../src/llm/errors.js";
import { createLimiter } from "../src/util/limiter.js";
import { lengthScore } from "../src/text/length-score.js";
import { PROJECT_ROOT } from "./helpers/run-cli.js";

const SRC = join(PROJECT_ROOT, "src");
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );

describe("typed errors", () => {
  it("no library file throws a plain Error, RangeError or TypeError", () => {
    const plain: string[] = [];
    for (const file of files(SRC)) {
      const rel = relative(SRC, file);
      if (rel.startsWith("cli")) continue;
      // Rebuilds a foreign `cause` with secrets removed (kept as the cause of an LlmCallError, never thrown alone).
      if (rel === join("util", "redact-secrets.ts")) continue;
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/\bnew (?:Error|RangeError|TypeError|SyntaxError)\(/.test(line)) plain.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(plain).toEqual([]);
  });

  it("every error of the family answers isInstance and instanceof ToolkitError, with a code", () => {
    const errors = [
      new InputError({ file: "a.jsonl", line: 3, field: "messages" }, "bad"),
      new ConfigError("bad", { field: "seed" }),
      new HubError("down", { status: 503 }),
      new LengthLimitError({ model: "m", partialChars: 10 }),
      new OptionError("n must be positive", { field: "n" }),
    ];
    expect(errors.map((e) => [ToolkitError.isInstance(e), e instanceof ToolkitError, e.code])).toEqual([
      [true, true, "invalid_input"],
      [true, true, "invalid_config"],
      [true, true, "hub"],
      [true, true, "llm_length"],
      [true, true, "invalid_option"],
    ]);
    expect(new RangeError("x") instanceof ToolkitError).toBe(false);
    // subclasses keep the ordinary prototype check
    expect(new ConfigError("x") instanceof InputError).toBe(false);
    expect(new InputError({ file: "f" }, "x")).toMatchObject({ file: "f", exitCode: 1 });
  });

  it("bad options are OptionErrors: a RangeError and a toolkit error, naming the field", () => {
    const caught = (() => {
      try {
        createLimiter({ concurrency: 0 });
      } catch (error) {
        return error;
      }
    })();
    expect(caught).toBeInstanceOf(RangeError);
    expect(caught).toMatchObject({ code: "invalid_option", field: "concurrency", exitCode: 2 });
    expect(() => lengthScore(0, 10)).toThrow(OptionError);
  });
});
