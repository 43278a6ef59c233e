/**
 * @module io/messages-leaves — a `messages` column's two leaf columns (`role`, `content`) as the page data
 * hyparquet-writer shreds them into (values, repetition and definition levels), made in one walk over the
 * rows. hyparquet-writer's generic shredder walks every row once per leaf, recursively, through the schema;
 * for this one shape the levels are known: every turn is present with both fields, so each value has the
 * deepest definition level, and a row's first turn starts it (repetition 0) while the others continue it (1).
 * Anything else (an empty chat, a missing turn or field, text not yet bytes, another schema) returns
 * undefined, and the caller shreds it the generic way.
 */
import type { SchemaElement } from "hyparquet";
import type { PageData } from "hyparquet-writer/src/types.js";

/** The leaves' definition level when a turn and its field are present: list entry, element, field. */
const PRESENT = 3;

/**
 * Whether `path` (schema elements from the root to one leaf) is a `messages` column's `role` or `content`
 * leaf as `parquetSchemaFor` writes it: required LIST → repeated `list` → optional `element` → optional
 * UTF-8 byte array.
 */
export function isMessagesLeafPath(path: readonly SchemaElement[]): boolean {
  if (path.length !== 5) return false;
  const [, column, list, element, leaf] = path as [SchemaElement, SchemaElement, SchemaElement, SchemaElement, SchemaElement];
  return (
    column.repetition_type === "REQUIRED" &&
    column.converted_type === "LIST" &&
    column.num_children === 1 &&
    list.repetition_type === "REPEATED" &&
    list.num_children === 1 &&
    element.repetition_type === "OPTIONAL" &&
    element.num_children === 2 &&
    leaf.repetition_type === "OPTIONAL" &&
    leaf.type === "BYTE_ARRAY" &&
    leaf.converted_type === "UTF8" &&
    (leaf.name === "role" || leaf.name === "content")
  );
}

/** Page data of the `role` and `content` leaves, or undefined when a row is not a chat of byte turns. */
export function messagesLeafPageData(rows: readonly unknown[]): { role: PageData; content: PageData } | undefined {
  let turns = 0;
  for (const row of rows) {
    if (!Array.isArray(row) || row.length === 0) return undefined;
    turns += row.length;
  }
  const roles = new Array<Uint8Array>(turns);
  const contents = new Array<Uint8Array>(turns);
  const repetitionLevels = new Array<number>(turns);
  let at = 0;
  for (const row of rows as unknown[][]) {
    for (let i = 0; i < row.length; i++) {
      const turn = row[i] as { role?: unknown; content?: unknown } | null;
      if (turn === null || typeof turn !== "object" || Array.isArray(turn)) return undefined;
      const { role, content } = turn;
      if (!(role instanceof Uint8Array) || !(content instanceof Uint8Array)) return undefined;
      roles[at] = role;
      contents[at] = content;
      repetitionLevels[at] = i === 0 ? 0 : 1;
      at++;
    }
  }
  // Both leaves have the same levels; hyparquet-writer only reads them (it slices per page).
  const definitionLevels = new Array<number>(turns).fill(PRESENT);
  return {
    role: { values: roles, definitionLevels, repetitionLevels, maxDefinitionLevel: PRESENT },
    content: { values: contents, definitionLevels, repetitionLevels, maxDefinitionLevel: PRESENT },
  };
}
