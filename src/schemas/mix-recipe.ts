/**
 * @module schemas/mix-recipe — a mixture recipe (`recipes/*.yaml`, `longwriter mix`): which sources, how much
 * of each, which filters, dedup, decontamination, splits, output layout and dataset card. Every object is
 * strict, so a misspelt field is an error instead of being ignored.
 */
import { z } from "zod";
import { licenseMetadata } from "./hub-licenses.js";

const QUANTITY_TEXT = /^\s*(\d+(?:[_,]?\d)*(?:\.\d+)?|\.\d+)\s*[kKmMbB]?\s*$/;

/** A positive amount: a number or a string with a k/M/B suffix ("60M"). */
export const quantitySchema = z.union([
  z.number().positive(),
  z.string().regex(QUANTITY_TEXT, 'expected a number, optionally with a k, M or B suffix (e.g. "60M")'),
]);

/**
 * Most rows one source may contribute (its row indices are held in memory): a typo such as
 * `count: 5e9` or `fraction: 1e7` is an error naming the field, not an exhausted machine.
 */
export const MAX_ROWS_PER_SOURCE = 50_000_000;
/** Most copies of a source `fraction` may ask for. */
export const MAX_FRACTION = 1000;

/**
 * How much of a source goes into the mixture — exactly one kind. `count` and `fraction` above the
 * source's size upsample (whole copies + a seeded random remainder); `share` is a share of the final
 * mixture's rows; `words` / `tokens` are budgets over whole rows.
 */
export const mixAmountSchema = z
  .strictObject({
    /** Exactly this many rows (random, seeded; more than the source holds → upsampled). */
    count: z
      .number()
      .int()
      .positive()
      .max(MAX_ROWS_PER_SOURCE, `at most ${MAX_ROWS_PER_SOURCE.toLocaleString("en-US")} rows per source`)
      .optional()
      .describe("Exactly this many rows (random, seeded; more than the source holds → upsampled)."),
    /** This fraction of the source's rows after filtering and dedup (2.5 = two copies + a random half). */
    fraction: z
      .number()
      .positive()
      .max(MAX_FRACTION, `at most ${MAX_FRACTION} (copies of the source)`)
      .optional()
      .describe("This fraction of the source's rows after filtering and dedup (2.5 = two copies + a random half)."),
    /** This share (0–1) of the final mixture's rows. */
    share: z.number().gt(0).lt(1).or(z.literal(1)).optional().describe("This share (0–1) of the final mixture's rows."),
    /** Rows adding up to this many words (countWords over every turn), e.g. "60M". */
    words: quantitySchema.optional().describe('Rows adding up to this many words (countWords over every turn), e.g. "60M".'),
    /** Rows adding up to this many tokens of `tokenizer`, e.g. "80M". */
    tokens: quantitySchema.optional().describe('Rows adding up to this many tokens of `tokenizer`, e.g. "80M".'),
    /** Tokenizer for `tokens`: "cl100k_base", "o200k_base", a Hub model id ("Qwen/Qwen2.5-7B-Instruct@<sha>") or a tokenizer.json path; default: the recipe's `tokenizer`. */
    tokenizer: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Tokenizer for `tokens`: cl100k_base, o200k_base, a Hub model id (Qwen/Qwen2.5-7B-Instruct@<sha>) or a tokenizer.json path; default: the recipe's `tokenizer`.",
      ),
    /** For `share`: allow upsampling a source that holds too few rows instead of failing. */
    allowUpsample: z.boolean().optional().describe("For `share`: allow upsampling a source that holds too few rows instead of failing."),
  })
  .superRefine((amount, ctx) => {
    const kinds = (["count", "fraction", "share", "words", "tokens"] as const).filter((k) => amount[k] !== undefined);
    if (kinds.length === 0) ctx.addIssue({ code: "custom", message: "name one amount: count, fraction, share, words or tokens" });
    if (kinds.length > 1) ctx.addIssue({ code: "custom", message: `use either ${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}, not both` });
    if (amount.tokenizer !== undefined && amount.tokens === undefined) {
      ctx.addIssue({ code: "custom", path: ["tokenizer"], message: "tokenizer only applies to a tokens budget" });
    }
    if (amount.allowUpsample !== undefined && amount.share === undefined) {
      ctx.addIssue({ code: "custom", path: ["allowUpsample"], message: "allowUpsample only applies to share (count and fraction upsample anyway)" });
    }
  });
export type MixAmount = z.infer<typeof mixAmountSchema>;

/** Role checks: drop rows whose conversation shape is unusable for SFT. */
export const roleCheckSchema = z.strictObject({
  /** The last turn must be the assistant's (default true). */
  lastIsAssistant: z.boolean().optional().describe("The last turn must be the assistant's (default true)."),
  /** After an optional leading system turn, user and assistant must alternate, starting with user (default true). */
  alternate: z.boolean().optional().describe("After an optional leading system turn, user and assistant must alternate, starting with user (default true)."),
  /** No turn may be empty or whitespace only (default true). */
  nonEmpty: z.boolean().optional().describe("No turn may be empty or whitespace only (default true)."),
  /** At most this many user+assistant turns. */
  maxTurns: z.number().int().positive().optional().describe("At most this many user+assistant turns."),
  /** Drop rows carrying a system turn. */
  noSystem: z.boolean().optional().describe("Drop rows carrying a system turn."),
});

/** Filters over one row; each keeps the row or names the reason it was dropped. */
export const mixFiltersSchema = z.strictObject({
  /** Conversation shape checks (`true` = all defaults). */
  roles: z.union([z.boolean(), roleCheckSchema]).optional().describe("Conversation shape checks (`true` = all defaults)."),
  /** Keep only rows whose last user turn is in one of these languages ("en", "zh", ...). */
  languages: z
    .array(
      z.string().refine((code) => ["en", "zh", "other"].includes(code.toLowerCase()), {
        error: (issue) => `unknown language code ${JSON.stringify(issue.input)}: the language filter tells "en", "zh" and "other"`,
      }),
    )
    .min(1)
    .optional()
    .describe('Keep only rows whose last user turn is in one of these languages ("en", "zh", ...).'),
  /** The final assistant turn must have at least this many words (LongBench-Write's countWords). */
  minWords: z.number().int().nonnegative().optional().describe("The final assistant turn must have at least this many words (LongBench-Write's countWords)."),
  /** The final assistant turn must have at most this many words. */
  maxWords: z.number().int().positive().optional().describe("The final assistant turn must have at most this many words."),
  /** The last user turn must state exactly one explicit required length ("write 3000 words", "5000字"). */
  requireLength: z.boolean().optional().describe('The last user turn must state exactly one explicit required length ("write 3000 words", "5000字").'),
  /** S_l of the final answer against the prompt's required length must be ≥ this (0–100); rows without one are dropped. */
  minLengthScore: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe("S_l of the final answer against the prompt's required length must be ≥ this (0–100); rows without one are dropped."),
  /** How the required length is read from the prompt: "toolkit" (text/required-length, default) or "evalscope" (the rule behind LongWriter-6k-filtered). */
  lengthRule: z
    .enum(["toolkit", "evalscope"])
    .optional()
    .describe("How the required length is read from the prompt: toolkit (default) or evalscope (the rule behind LongWriter-6k-filtered)."),
});
export type MixFilters = z.infer<typeof mixFiltersSchema>;

/** One input of the mixture: a local file/glob or Hub files, with an amount and optional filters. */
export const mixSourceSchema = z
  .strictObject({
    /** Tag written into each row's `source` column and used in the manifest (default: file or repo name). */
    source: z.string().min(1).optional().describe("Tag written into each row's `source` column and used in the manifest (default: file or repo name)."),
    /** Local file or glob (`*`, `?`, `**`), relative to the recipe file. */
    path: z.string().min(1).optional().describe("Local file or glob (`*`, `?`, `**`), relative to the recipe file."),
    /** Hub dataset repo ("THUDM/LongWriter-6k"). */
    repo: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'expected "owner/name"')
      .optional()
      .describe('Hub dataset repo ("THUDM/LongWriter-6k").'),
    /** Hub revision: a 40-hex commit (required by --frozen) or a branch/tag. */
    revision: z.string().min(1).optional().describe("Hub revision: a 40-hex commit (required by --frozen) or a branch/tag."),
    /** Files inside the Hub repo to read. */
    files: z.array(z.string().min(1)).min(1).optional().describe("Files inside the Hub repo to read."),
    /** Hub split to read (files under `data/{split}-*` or `{split}/`), instead of `files`. */
    split: z.string().min(1).optional().describe("Hub split to read (files under `data/{split}-*` or `{split}/`), instead of `files`."),
    /** Input format: "auto" (detect) or an adapter name ("messages", "sharegpt", "alpaca", ...). */
    format: z.string().min(1).optional().describe('Input format: "auto" (detect) or an adapter name ("messages", "sharegpt", "alpaca", ...).'),
    /** How much of the source to take (default: every row once). */
    amount: mixAmountSchema.optional().describe("How much of the source to take (default: every row once)."),
    /** Licence of this source (shown in the dataset card's source table), e.g. "apache-2.0". */
    license: z.string().min(1).optional().describe("Licence of this source, shown in the dataset card's source table (e.g. apache-2.0)."),
    /** Filters for this source only (applied after the recipe's global filters). */
    filters: mixFiltersSchema.optional().describe("Filters for this source only (applied after the recipe's global filters)."),
  })
  .superRefine((source, ctx) => {
    const local = source.path !== undefined;
    const hub = source.repo !== undefined;
    if (local === hub) {
      ctx.addIssue({ code: "custom", message: local ? "use either path or repo, not both" : "name a location: path (local) or repo (Hub)" });
      return;
    }
    if (local) {
      for (const key of ["revision", "files", "split"] as const) {
        if (source[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `${key} only applies to a Hub source (repo)` });
      }
    } else if ((source.files === undefined) === (source.split === undefined)) {
      ctx.addIssue({ code: "custom", message: "a Hub source names either files or split" });
    }
  });
export type MixSource = z.infer<typeof mixSourceSchema>;

export const nearDedupSchema = z.strictObject({
  /** Estimated Jaccard similarity at or above which a row counts as a near duplicate (default 0.8). */
  threshold: z.number().gt(0).max(1).optional().describe("Estimated Jaccard similarity at or above which a row counts as a near duplicate (default 0.8)."),
  /** Words per shingle (default 5; CJK characters count as words). */
  shingle: z.number().int().positive().optional().describe("Words per shingle (default 5; CJK characters count as words)."),
  /** MinHash permutations (default 128); must be divisible by `bands`. */
  permutations: z.number().int().positive().max(1024).optional().describe("MinHash permutations (default 128); must be divisible by `bands`."),
  /** LSH bands (default 16). */
  bands: z.number().int().positive().optional().describe("LSH bands (default 16)."),
});

export const mixDedupSchema = z.strictObject({
  /** Drop rows whose messages equal an earlier row's after normalising whitespace and case (default true). */
  exact: z.boolean().optional().describe("Drop rows whose messages equal an earlier row's after normalising whitespace and case (default true)."),
  /** Near-duplicate removal by MinHash + LSH over word shingles (off unless given). */
  near: z.union([z.boolean(), nearDedupSchema]).optional().describe("Near-duplicate removal by MinHash + LSH over word shingles (off unless given)."),
});

export const mixDecontaminateSchema = z.strictObject({
  /** Eval prompt files (JSONL with `prompt`, or any records with user turns), relative to the recipe. Default: LongBench-Write. */
  files: z
    .array(z.string().min(1))
    .optional()
    .describe("Eval prompt files (JSONL with `prompt`, or any records with user turns), relative to the recipe. Default: LongBench-Write."),
  /** Words per n-gram (CJK characters count as words; default 8). */
  ngram: z.number().int().positive().optional().describe("Words per n-gram (CJK characters count as words; default 8)."),
  /** Share (0–1) of an eval prompt's n-grams found in a user turn that marks the row contaminated (default 0.5). */
  threshold: z
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe("Share (0–1) of an eval prompt's n-grams found in a user turn that marks the row contaminated (default 0.5)."),
});

export const mixSplitsSchema = z
  .strictObject({
    /** Test split size: a fraction (< 1) of the mixture or a row count (≥ 1), carved after the shuffle. */
    test: z
      .number()
      .positive()
      .refine((n) => n < 1 || Number.isInteger(n), { message: "expected a fraction below 1 or a whole number of rows (≥ 1)" })
      .optional()
      .describe("Test split size: a fraction (< 1) of the mixture or a row count (≥ 1), carved after the shuffle."),
    /** Source tags whose rows form the test split instead (they are not in train). */
    testSources: z.array(z.string().min(1)).min(1).optional().describe("Source tags whose rows form the test split instead (they are not in train)."),
  })
  .refine((splits) => !(splits.test !== undefined && splits.testSources !== undefined), {
    message: "use either test or testSources, not both",
  });

export const mixOutputSchema = z.strictObject({
  /** A Parquet shard is closed once its file reaches about this many MB (default 500). */
  shardMB: z.number().positive().optional().describe("A Parquet shard is closed once its file reaches about this many MB (default 500)."),
  /** A row group is closed once its rows hold about this many MiB of text (default ~46, 48,000,000 bytes: half the Hub viewer's bound). */
  rowGroupMB: z
    .number()
    .positive()
    .optional()
    .describe("A row group is closed once its rows hold about this many MiB of text (default ~46, 48,000,000 bytes: half the Hub viewer's bound)."),
  /** At most this many rows per row group, whatever their size. */
  rowGroupRows: z.number().int().positive().optional().describe("At most this many rows per row group, whatever their size."),
  /** Data files: parquet shards (default), or one JSON Lines (jsonl) or JSON array (json) file per split. */
  format: z
    .enum(["parquet", "jsonl", "json"])
    .optional()
    .describe("Data files: parquet shards (default), or one JSON Lines (jsonl) or JSON array (json) file per split."),
  /** Parquet codec (default snappy, as `datasets` writes). */
  compression: z.enum(["snappy", "zstd", "gzip", "none"]).optional().describe("Parquet codec (default snappy, as `datasets` writes)."),
});

export const mixCardSchema = z
  .strictObject({
    /** Hub licence id of the mixture (checked against the Hub's list), e.g. "apache-2.0", or "other". */
    license: z.string().min(1).optional().describe("Hub licence id of the mixture (checked against the Hub's list), e.g. apache-2.0, or other."),
    /** With license: other — the licence's short id (card `license_name`). */
    licenseName: z.string().min(1).optional().describe("With license: other, the licence's short id (card license_name)."),
    /** With license: other — URL or repo path of the licence text (card `license_link`). */
    licenseLink: z.string().min(1).optional().describe("With license: other, a URL or repo path of the licence text (card license_link)."),
    description: z.string().optional(),
    tags: z.array(z.string().min(1)).optional(),
    language: z.array(z.string().min(1)).optional(),
    prettyName: z.string().min(1).optional(),
  })
  .superRefine((card, ctx) => {
    try {
      licenseMetadata({ license: card.license, licenseName: card.licenseName, licenseLink: card.licenseLink });
    } catch (error) {
      const field = (error as { field?: string }).field ?? "license";
      const path = field.endsWith("_name") ? "licenseName" : field.endsWith("_link") ? "licenseLink" : "license";
      ctx.addIssue({ code: "custom", path: [path], message: (error as Error).message.replace(/^field [^:]+: /, "") });
    }
  });

export const mixRecipeSchema = z
  .strictObject({
    /** Marks the file as a mixture recipe (pair policies say `kind: pair-policy`). */
    kind: z.literal("mix").optional().describe("Marks the file as a mixture recipe (pair policies say `kind: pair-policy`)."),
    name: z.string().regex(/^[\w.-]+$/, "use letters, digits, '.', '_' and '-'"),
    /** Seed of every random choice (default 0); `--seed` overrides it. */
    seed: z
      .number()
      .int()
      .nonnegative()
      .max(2 ** 32 - 1)
      .optional()
      .describe("Seed of every random choice (default 0); `--seed` overrides it."),
    /** Offline tokenizer used to report tokens per source in the manifest (and the default for tokens budgets). */
    tokenizer: z
      .string()
      .min(1)
      .optional()
      .describe("Offline tokenizer used to report tokens per source in the manifest (and the default for tokens budgets)."),
    sources: z.array(mixSourceSchema).min(1),
    /** Filters applied to every source (before the source's own). */
    filters: mixFiltersSchema.optional().describe("Filters applied to every source (before the source's own)."),
    dedup: mixDedupSchema.optional(),
    /** Eval decontamination (`true` = defaults; the prompt files come from `files`, --decontaminate-with or LongBench-Write). */
    decontaminate: z
      .union([z.boolean(), mixDecontaminateSchema])
      .optional()
      .describe("Eval decontamination (`true` = defaults; the prompt files come from `files`, --decontaminate-with or LongBench-Write)."),
    splits: mixSplitsSchema.optional(),
    output: mixOutputSchema.optional(),
    card: mixCardSchema.optional(),
  })
  .superRefine((recipe, ctx) => {
    const seen = new Map<string, number>();
    recipe.sources.forEach((source, index) => {
      if (source.source === undefined) return;
      const first = seen.get(source.source);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["sources", index, "source"], message: `tag "${source.source}" is already used by sources.${first}` });
      } else seen.set(source.source, index);
    });
    for (const tag of recipe.splits?.testSources ?? []) {
      if (!seen.has(tag)) ctx.addIssue({ code: "custom", path: ["splits", "testSources"], message: `no source is tagged "${tag}"` });
    }
  });
export type MixRecipe = z.infer<typeof mixRecipeSchema>;
