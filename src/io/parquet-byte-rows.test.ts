import { open } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { writeGlaiveParquet, writeMessyChatParquet } from "../../test/helpers/messy-parquet.js";
import { getSftAdapter } from "./adapters/sft-adapters.js";
import type { RawRecord } from "./adapters/format.js";
import { BYTE_STRING_PARSERS, byteStringsFit, parquetMessagesByteRecord, stringsFromBytes } from "./parquet-byte-rows.js";
import { readDecompressors } from "./parquet-codecs.js";
import { streamRowGroup } from "./parquet-group-stream.js";
import { parquetRowDecoder, readParquetInfo } from "./parquet-read.js";

const tmp = makeTmpDir("lw-parquet-byte-rows-");

async function duckdb(sql: string): Promise<void> {
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
  }
}

/** Every row of `file`, read with hyparquet's parsers and with strings as bytes. */
async function bothWays(file: string): Promise<Array<{ strings: Record<string, unknown>; bytes: Record<string, unknown> }>> {
  const info = await readParquetInfo(file);
  const compressors = await readDecompressors();
  const rows: Array<{ strings: Record<string, unknown>; bytes: Record<string, unknown> }> = [];
  const handle = await open(file, "r");
  try {
    for (let group = 0; group < info.rowGroups; group++) {
      const strings: Array<Record<string, unknown>> = [];
      const bytes: Array<Record<string, unknown>> = [];
      for await (const batch of streamRowGroup({ handle, file, metadata: info.metadata, group, compressors })) strings.push(...batch);
      for await (const batch of streamRowGroup({ handle, file, metadata: info.metadata, group, compressors, parsers: BYTE_STRING_PARSERS }))
        bytes.push(...batch);
      expect(bytes.length).toBe(strings.length);
      for (let i = 0; i < strings.length; i++) rows.push({ strings: strings[i]!, bytes: bytes[i]! });
    }
  } finally {
    await handle.close();
  }
  return rows;
}

/**
 * Checks every row of `file`: with strings decoded back it is the row hyparquet gives, and where the byte
 * path takes it, it gives what decoding the row and the messages adapter give. Returns the ids of the rows it
 * took and of those it left.
 */
async function checkFile(file: string): Promise<{ taken: string[]; left: string[]; leftAccepted: string[] }> {
  const info = await readParquetInfo(file);
  const decodeRow = parquetRowDecoder(info);
  const decodeOthers = parquetRowDecoder(
    info,
    info.columns.map((column) => column.name).filter((name) => name !== "messages"),
  );
  const adapter = getSftAdapter("messages");
  const taken: string[] = [];
  const left: string[] = [];
  const leftAccepted: string[] = [];
  for (const [index, { strings, bytes }] of (await bothWays(file)).entries()) {
    const line = index + 1;
    expect(stringsFromBytes(bytes), `row ${line}`).toEqual(strings);
    const fast = parquetMessagesByteRecord(bytes, (others) => decodeOthers(others, line), { file, line });
    const label = String(strings.id ?? `row ${line}`);
    if (fast === undefined) {
      left.push(label);
      try {
        adapter.toCanonical(decodeRow(strings, line) as RawRecord, { file, line });
        leftAccepted.push(label);
      } catch {
        // refused: the ordinary reader reports it
      }
      continue;
    }
    taken.push(label);
    const expected = adapter.toCanonical(decodeRow(strings, line) as RawRecord, { file, line });
    const decoder = new TextDecoder();
    expect(
      {
        id: fast.id,
        messages: fast.turns.map((turn) => ({ role: turn.role, content: decoder.decode(turn.content) })),
        ...(fast.source !== undefined ? { source: fast.source } : {}),
        ...(fast.meta !== undefined ? { meta: fast.meta } : {}),
      },
      `row ${line}`,
    ).toEqual(expected);
  }
  return { taken, left, leftAccepted };
}

describe("Parquet rows with strings as bytes", () => {
  it("give back hyparquet's rows, and the messages adapter's records for the rows the byte path takes (our writer's file)", async () => {
    const file = join(tmp, "messy.parquet");
    await writeMessyChatParquet(file);
    const { taken, left, leftAccepted } = await checkFile(file);
    // Missing ids (content hashes) and meta come through the byte path; only rows the adapter refuses do not.
    expect(taken.length).toBeGreaterThan(20);
    expect(taken.some((id) => id.startsWith("row "))).toBe(true);
    expect(leftAccepted).toEqual([]);
    expect(left.length).toBeGreaterThan(3);
  });

  it("leave to the ordinary reader what they cannot vouch for (DuckDB's file: BOM, invalid UTF-8, tools, extra fields, odd ids)", async () => {
    const file = join(tmp, "cases.parquet");
    // Text as UTF-8 bytes (a BLOB column: DuckDB would refuse invalid UTF-8 in a VARCHAR); a BLOB literal as it is.
    const blob = (sql: string): string => (sql.endsWith("::BLOB") ? sql : `encode(${sql})`);
    const turns = (system: string, user: string, assistant: string) =>
      `[{'role': 'system', 'content': ${blob(system)}}, {'role': 'user', 'content': ${blob(user)}}, {'role': 'assistant', 'content': ${blob(assistant)}}]`;
    await duckdb(`COPY (SELECT * FROM (VALUES
        ('plain', ${turns("'Be brief.'", "'Hi'", "'Hello there.'")}::STRUCT(role VARCHAR, content BLOB)[], NULL, 'ok'),
        ('developer', [{'role': 'developer', 'content': 'x'::BLOB}, {'role': 'user', 'content': 'q'::BLOB}, {'role': 'assistant', 'content': 'a'::BLOB}], NULL, NULL),
        ('bom', ${turns("'s'", "chr(65279) || 'question'", "'answer'")}::STRUCT(role VARCHAR, content BLOB)[], NULL, NULL),
        ('invalid-utf8', ${turns("'s'", "'\\xFF\\xFE'::BLOB", "'answer'")}::STRUCT(role VARCHAR, content BLOB)[], NULL, NULL),
        ('narrator', [{'role': 'narrator', 'content': 'x'::BLOB}, {'role': 'assistant', 'content': 'a'::BLOB}], NULL, NULL),
        ('no-answer', [{'role': 'user', 'content': 'x'::BLOB}], NULL, NULL),
        ('null-content', [{'role': 'user', 'content': NULL::BLOB}, {'role': 'assistant', 'content': 'a'::BLOB}], NULL, NULL),
        ('blank', [{'role': 'user', 'content': ' '::BLOB}, {'role': 'assistant', 'content': 'a'::BLOB}], NULL, NULL),
        ('tools', ${turns("'s'", "'q'", "'a'")}::STRUCT(role VARCHAR, content BLOB)[], '[{"type":"function"}]', NULL),
        ('', ${turns("'s'", "'empty id'", "'a \\\"quoted\\\" answer' || chr(10) || 'next line'")}::STRUCT(role VARCHAR, content BLOB)[], NULL, NULL)
      ) AS t(id, messages, tools, extra)) TO '${file}' (FORMAT parquet)`);
    expect(byteStringsFit((await readParquetInfo(file)).metadata)).toBe(true);
    const { taken, left, leftAccepted } = await checkFile(file);
    expect(taken.sort()).toEqual(["", "developer", "plain"]);
    expect(left.sort()).toEqual(["blank", "bom", "invalid-utf8", "narrator", "no-answer", "null-content", "tools"]);
    // Of those, the adapter takes these (the BOM dropped, U+FFFD for the bad bytes): the ordinary reader gives them.
    expect(leftAccepted.sort()).toEqual(["bom", "invalid-utf8"]);
  });

  it("read a file's tool-call rows the ordinary way, and say which files cannot keep strings as bytes", async () => {
    const glaive = join(tmp, "glaive.parquet");
    await writeGlaiveParquet(glaive);
    // ShareGPT rows are not messages rows: nothing is taken, and every row decodes back as hyparquet gives it.
    const { taken } = await checkFile(glaive);
    expect(taken).toEqual([]);
    // A turn with a field besides role and content (a speaker's name) is the ordinary reader's.
    const named = join(tmp, "named.parquet");
    await duckdb(
      `COPY (SELECT 'n1' AS id, [{'role': 'user', 'content': 'q', 'name': 'ann'}, {'role': 'assistant', 'content': 'a', 'name': NULL}] AS messages) TO '${named}' (FORMAT parquet)`,
    );
    expect((await checkFile(named)).taken).toEqual([]);
    const uuid = join(tmp, "uuid.parquet");
    await duckdb(
      `COPY (SELECT uuid() AS id, [{'role': 'user', 'content': 'q'}, {'role': 'assistant', 'content': 'a'}] AS messages) TO '${uuid}' (FORMAT parquet)`,
    );
    expect(byteStringsFit((await readParquetInfo(uuid)).metadata)).toBe(false);
  });
});
