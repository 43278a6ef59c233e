/**
 * @module mix/mix-manifest — what `manifest.json` records about a mixture: the recipe's hash and seed,
 * each source's resolved location and revision, requested vs obtained rows/words/tokens, upsampling,
 * drops by reason, dedup and decontamination counts, and the split sizes. It holds no timestamps or
 * absolute paths, so the same recipe and seed give the same bytes.
 */
import type { InputIssue } from "../io/input-issue.js";
import type { AmountKind } from "./resolve-amounts.js";
import type { ContaminatedRow } from "./collect-candidates.js";

export interface MixSourceManifest {
  source: string;
  /** Local files (relative to the recipe) or the Hub repo with the requested and resolved revision. */
  location: { kind: "local"; path: string; files: string[] } | { kind: "hub"; repo: string; revision: string; sha: string; files: string[] };
  /** Format used per file (detected or given). */
  formats: Record<string, string>;
  /** The split this source feeds ("train" unless listed in splits.testSources). */
  split: "train" | "test" | "train+test";
  /** Rows read (valid or not). */
  input: number;
  /** Rows dropped, by reason; invalid rows are `invalid`. */
  dropped: Record<string, number>;
  /** First invalid rows with file, line, field and reason. */
  invalidExamples: InputIssue[];
  /** Rows left after filters, decontamination and dedup. */
  candidates: number;
  /** Candidate rows never drawn (candidates − distinct rows taken). */
  notSampled: number;
  amount: { kind: AmountKind; requested: number; unit: "rows" | "fraction" | "share" | "words" | "tokens"; tokenizer?: string };
  obtained: { rows: number; uniqueRows: number; words: number; tokens: number | null };
  /** Whole passes over the candidates included (1 = every row once) and rows taken ÷ candidates (2.5 = two copies + a random half). */
  copies: number;
  upsampleFactor: number;
}

export interface MixManifest {
  tool: { name: string; version: string };
  kind: "mix";
  recipe: { name: string; file: string; sha256: string };
  seed: number;
  frozen: boolean;
  tokenizer: string | null;
  sources: MixSourceManifest[];
  dedup: {
    exact: boolean;
    near: null | { threshold: number; shingle: number; permutations: number; bands: number };
    droppedExact: number;
    droppedNear: number;
  };
  decontamination: null | {
    files: Array<{ path: string; sha256: string }>;
    ngram: number;
    threshold: number;
    evalPrompts: number;
    dropped: number;
    matches: ContaminatedRow[];
  };
  /**
   * The test split carved from the shuffled mixture (`splits.test`): distinct rows only; upsampled copies
   * of those rows are removed from train so no row sits in both splits. null without `splits.test`.
   */
  testSplit: null | { requested: number; rows: number; copiesRemovedFromTrain: number };
  /** Rows, words and tokens per output split (the dataset dir's own `splits` lists their files). */
  splitTotals: Record<string, { rows: number; words: number; tokens: number | null }>;
  totals: { input: number; dropped: number; candidates: number; notSampled: number; rows: number; words: number; tokens: number | null };
  /** Accounting check per source: input = Σ dropped + candidates and candidates = uniqueRows + notSampled. */
  balanced: boolean;
}
