/** @module hub/publish-progress — the progress events a publish reports, step by step. */
import type { HubRetryEvent } from "./hub-fetch.js";

export type PublishProgressEvent =
  | { type: "scanned"; files: number; bytes: number }
  | { type: "planned"; add: number; update: number; delete: number; unchanged: number; bytes: number; commits: number }
  | { type: "phase"; phase: "preuploading" | "uploadingLargeFiles" | "committing"; commit: number; commits: number }
  | { type: "file"; path: string; state: "hashing" | "uploading" | "error"; progress: number }
  /** LFS bytes sent so far, of `total` planned for LFS (a guess: the Hub decides what is LFS). */
  | { type: "uploaded"; bytes: number; total: number }
  | { type: "retry"; retry: HubRetryEvent }
  | { type: "conflict"; attempt: number; delayMs: number; status: number }
  | { type: "committed"; oid: string; url: string; commit: number; commits: number }
  | { type: "warning"; message: string };
