/**
 * @module io/read-lines — a file as an async iterable of decoded text lines with 1-based line numbers.
 * Splits on LF at the byte level (so a 50 MB line costs ~one copy), strips a UTF-8 BOM and a trailing CR,
 * and rejects bytes that are not UTF-8 with the line they sit on.
 */
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { InputError } from "../errors.js";

export interface TextLine {
  /** 1-based line number. */
  line: number;
  text: string;
}

const LF = 0x0a;
const CR = 0x0d;

/** Yields each line of `file` (including blank ones; callers decide what a blank line means). */
export async function* readLines(file: string, options: { highWaterMark?: number } = {}): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;

  // `valid`: the caller already checked these bytes are UTF-8 (a whole chunk's complete lines at once is
  // much cheaper than a fatal TextDecoder per line); otherwise the decoder checks and names the line.
  const decode = (bytes: Buffer, valid: boolean): string => {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end -= 1;
    try {
      const text = valid ? bytes.toString("utf8", 0, end) : decoder.decode(bytes.subarray(0, end));
      // A byte-order mark is only meaningful at the very start of the file.
      return lineNumber === 1 && text.startsWith("\uFEFF") ? text.slice(1) : text;
    } catch (cause) {
      throw new InputError({ file, line: lineNumber }, "invalid UTF-8 (the file must be UTF-8 encoded)", { cause });
    }
  };

  let stream;
  try {
    stream = createReadStream(file, { highWaterMark: options.highWaterMark ?? 1 << 20 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      const first = chunk.indexOf(LF);
      // The chunk's lines after its first LF are complete: check their UTF-8 in one call.
      const restValid = first !== -1 && isUtf8(chunk.subarray(first + 1, chunk.lastIndexOf(LF)));
      for (let index = first; index !== -1; index = chunk.indexOf(LF, start)) {
        const piece = chunk.subarray(start, index);
        const bytes = pendingBytes !== 0 ? Buffer.concat([...pending, piece], pendingBytes + piece.length) : piece;
        pending = [];
        pendingBytes = 0;
        lineNumber += 1;
        yield { line: lineNumber, text: decode(bytes, start > first && restValid) };
        start = index + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError({ file }, "file not found", { cause: error });
    if (code === "EISDIR") throw new InputError({ file }, "is a directory, expected a file", { cause: error });
    if (code === "EACCES") throw new InputError({ file }, "permission denied", { cause: error });
    throw error;
  }
  if (pendingBytes > 0) {
    lineNumber += 1;
    yield { line: lineNumber, text: decode(Buffer.concat(pending, pendingBytes), false) };
  }
}
