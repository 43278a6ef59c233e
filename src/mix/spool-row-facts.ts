/**
 * @module mix/spool-row-facts — what the mixer keeps per spooled row besides its bytes, computed where
 * the row is read (a reader thread or the main thread): its words (every turn, and the final assistant
 * answer's), its `rowTextBytes` in its own SFT layout, and whether it carries tool calls or tools.
 */
import { messagesCell, type ByteSftRecord } from "../io/adapters/messages-bytes.js";
import { encodeValue, rowTextBytes, SFT_COLUMNS, sftColumns } from "../io/column-spec.js";
import { hasToolContent } from "../io/adapters/tool-definitions.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { countWords, countWordsUtf8 } from "../text/count-words.js";

export interface SpoolRowFacts {
  words: number;
  answerWords: number;
  textBytes: number;
  withTools: boolean;
}

/** The facts of `row` (a canonical record with its source tag), read from `file` at `line`. */
export function spoolRowFacts(row: SftRecord, file: string, line: number): SpoolRowFacts {
  const written = { messages: row.messages, tools: row.tools ?? null, id: row.id, source: row.source, meta: row.meta ?? null };
  const where = { file, row: line };
  // Bytes as written in this row's own layout; the writer adds the null `tools` cell of plain rows
  // when the output uses the tool-call columns (see `plainRowToolBytes`).
  const withTools = hasToolContent(row);
  const columns = sftColumns(withTools);
  const textBytes = rowTextBytes(
    columns,
    columns.map((column) => encodeValue(column, written[column.name as keyof typeof written], where)),
  );
  // One countWords per message: the row's total and the final assistant answer's share of it.
  let words = 0;
  let answerWords = 0;
  for (const message of row.messages) {
    const n = countWords(message.content);
    words += n;
    if (message.role === "assistant") answerWords = n;
  }
  return { words, answerWords, textBytes, withTools };
}

/**
 * The facts of a row the byte reader took (it has no tool content), from its bytes: words counted on the
 * turns' UTF-8 (`countWordsUtf8`, the same counts), its text size from the cells it is written as.
 */
export function byteRecordFacts(record: ByteSftRecord, tag: string, meta: string | null): SpoolRowFacts {
  let words = 0;
  let answerWords = 0;
  for (const { role, content } of record.turns) {
    const n = countWordsUtf8(content);
    words += n;
    if (role === "assistant") answerWords = n;
  }
  const cells = [messagesCell(record.turns), record.id, tag, meta];
  return { words, answerWords, textBytes: rowTextBytes(SFT_COLUMNS, cells), withTools: false };
}
