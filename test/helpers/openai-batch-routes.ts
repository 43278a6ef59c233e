/**
 * @module test/helpers/openai-batch-routes — the Batch API half of the loopback OpenAI server:
 * `/v1/files` (multipart upload, metadata, content download) and `/v1/batches` (create, retrieve with a
 * status progression, cancel, list). Each batch line is answered by the server's own `respond` script
 * (so a batch and a direct call give the same answer for the same body). Scripted outcomes: expired
 * batches (only the first lines answered, the rest in the error file as `batch_expired`), failed
 * batches, held batches (stay `in_progress` until released), per-line faults (`status`, `500`, `429` →
 * a non-200 output line; `batch_error` → an error-file line) and one-off HTTP faults on any route.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** How batches behave; change it mid-test with `server.batch.configure`. */
export interface BatchBehaviour {
  /** false: no files/batches routes (404), like a server without the Batch API. @default true */
  enabled: boolean;
  /** Retrieves a batch spends `in_progress` (answering a share of its lines each time). @default 2 */
  pollsToComplete: number;
  /** How a batch ends once its lines are done. @default "completed" */
  outcome: "completed" | "expired" | "failed";
  /** With outcome "expired": lines answered before the window closes. @default half */
  expireAfterLines?: number;
  /** Keep every batch `in_progress` (nothing answered) until `release()`. @default false */
  hold: boolean;
  /** Hold only the n-th batch created and later ones (1-based), e.g. 2 = let the first round finish. */
  holdFrom?: number | undefined;
}

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: string;
}

export interface StoredBatch {
  id: string;
  inputFileId: string;
  status: string;
  polls: number;
  /** Answered lines so far (output-file lines and error-file lines). */
  output: string[];
  errors: string[];
  lines: string[];
  answered: number;
  outputFileId: string | null;
  errorFileId: string | null;
  createdAt: number;
  metadata: Record<string, string> | null;
}

/** Answers one batch line's body: an output-file line `{status, body}` or an error-file line `{error}`. */
export type AnswerLine = (body: Record<string, unknown>) => Promise<{ status: number; body: unknown } | { error: { code: string; message: string } }>;

export interface BatchRoutes {
  files: Map<string, StoredFile>;
  batches: StoredBatch[];
  /** Counts per route: uploads, creates, retrieves, cancels, lists, contents. */
  counts: { uploads: number; creates: number; retrieves: number; cancels: number; lists: number; contents: number };
  configure(change: Partial<BatchBehaviour>): void;
  /** Lets held batches progress. */
  release(): void;
  /** The next `times` requests to `route` get HTTP `status` (the SDK retries 5xx/429 itself). */
  failNext(route: "upload" | "create" | "retrieve" | "content" | "list", status: number, times?: number): void;
  /** Handles the request when it is a files/batches route; false when it is not one. */
  handle(req: IncomingMessage, url: string, body: Buffer, res: ServerResponse): Promise<boolean>;
}

type Route = "upload" | "create" | "retrieve" | "content" | "list";

export function createBatchRoutes(answer: AnswerLine, initial: Partial<BatchBehaviour> = {}): BatchRoutes {
  const behaviour: BatchBehaviour = { enabled: true, pollsToComplete: 2, outcome: "completed", hold: false, ...initial };
  const files = new Map<string, StoredFile>();
  const batches: StoredBatch[] = [];
  const counts = { uploads: 0, creates: 0, retrieves: 0, cancels: 0, lists: 0, contents: 0 };
  const faults = new Map<Route, { status: number; times: number }>();
  let fileCounter = 0;
  let batchCounter = 0;

  const send = (res: ServerResponse, status: number, value: unknown): void => {
    const text = JSON.stringify(value);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
  const notFound = (res: ServerResponse, what: string): void => send(res, 404, { error: { message: `no such ${what}`, type: "invalid_request_error" } });
  const faulted = (route: Route, res: ServerResponse): boolean => {
    const fault = faults.get(route);
    if (!fault || fault.times <= 0) return false;
    fault.times -= 1;
    send(res, fault.status, { error: { message: `scripted ${fault.status} on ${route} (test server)`, type: "server_error" } });
    return true;
  };
  const addFile = (filename: string, purpose: string, content: string): StoredFile => {
    fileCounter += 1;
    const file = { id: `file-test-${fileCounter}`, filename, purpose, content };
    files.set(file.id, file);
    return file;
  };
  const fileJson = (file: StoredFile) => ({
    id: file.id,
    object: "file",
    bytes: Buffer.byteLength(file.content),
    created_at: 1_700_000_000,
    filename: file.filename,
    purpose: file.purpose,
    status: "processed",
  });
  const batchJson = (batch: StoredBatch) => ({
    id: batch.id,
    object: "batch",
    endpoint: "/v1/chat/completions",
    errors:
      batch.status === "failed"
        ? { object: "list", data: [{ code: "scripted_failure", message: "the batch failed (test server)", line: null, param: null }] }
        : null,
    input_file_id: batch.inputFileId,
    completion_window: "24h",
    status: batch.status,
    output_file_id: batch.outputFileId,
    error_file_id: batch.errorFileId,
    created_at: batch.createdAt,
    request_counts: {
      total: batch.lines.length,
      completed: batch.output.filter((line) => (JSON.parse(line) as { response: { status_code: number } }).response.status_code === 200).length,
      failed:
        batch.errors.length + batch.output.filter((line) => (JSON.parse(line) as { response: { status_code: number } }).response.status_code !== 200).length,
    },
    metadata: batch.metadata,
  });

  const answerUpTo = async (batch: StoredBatch, upTo: number): Promise<void> => {
    for (; batch.answered < Math.min(upTo, batch.lines.length); batch.answered++) {
      const request = JSON.parse(batch.lines[batch.answered]!) as { custom_id: string; body: Record<string, unknown> };
      const result = await answer(request.body);
      const id = `batch_req_${batch.id}_${batch.answered}`;
      if ("error" in result) batch.errors.push(JSON.stringify({ id, custom_id: request.custom_id, response: null, error: result.error }));
      else {
        batch.output.push(
          JSON.stringify({ id, custom_id: request.custom_id, response: { status_code: result.status, request_id: id, body: result.body }, error: null }),
        );
      }
    }
  };
  const finish = (batch: StoredBatch, status: string): void => {
    if (status === "expired" || status === "cancelled") {
      for (let at = batch.answered; at < batch.lines.length; at++) {
        const request = JSON.parse(batch.lines[at]!) as { custom_id: string };
        const code = status === "expired" ? "batch_expired" : "batch_cancelled";
        batch.errors.push(
          JSON.stringify({
            id: `batch_req_${batch.id}_${at}`,
            custom_id: request.custom_id,
            response: null,
            error: { code, message: `This request was not run: the batch ${status}.` },
          }),
        );
      }
    }
    if (status !== "failed") {
      if (batch.output.length > 0) batch.outputFileId = addFile(`${batch.id}_output.jsonl`, "batch_output", `${batch.output.join("\n")}\n`).id;
      if (batch.errors.length > 0) batch.errorFileId = addFile(`${batch.id}_error.jsonl`, "batch_output", `${batch.errors.join("\n")}\n`).id;
    }
    batch.status = status;
  };
  const advance = async (batch: StoredBatch): Promise<void> => {
    if (["completed", "expired", "failed", "cancelled"].includes(batch.status)) return;
    if (batch.status === "cancelling") return finish(batch, "cancelled");
    if (behaviour.hold || (behaviour.holdFrom !== undefined && batches.indexOf(batch) + 1 >= behaviour.holdFrom)) {
      batch.status = "in_progress";
      return;
    }
    batch.polls += 1;
    const steps = Math.max(1, behaviour.pollsToComplete);
    if (batch.polls <= steps) {
      batch.status = "in_progress";
      const limit = behaviour.outcome === "expired" ? (behaviour.expireAfterLines ?? Math.floor(batch.lines.length / 2)) : batch.lines.length;
      await answerUpTo(batch, Math.min(limit, Math.ceil((batch.lines.length * batch.polls) / steps)));
      return;
    }
    finish(batch, behaviour.outcome);
  };

  const handle = async (req: IncomingMessage, url: string, body: Buffer, res: ServerResponse): Promise<boolean> => {
    const path = url.split("?")[0]!.replace(/^.*?\/v1/, "");
    if (!path.startsWith("/files") && !path.startsWith("/batches")) return false;
    if (!behaviour.enabled) {
      send(res, 404, { error: { message: `no route ${req.method} ${url} (this server has no Batch API)`, type: "not_found" } });
      return true;
    }
    const parts = path.split("/").filter(Boolean); // ["files"], ["files", id], ["files", id, "content"], ["batches", id, "cancel"]
    if (parts[0] === "files") {
      if (req.method === "POST" && parts.length === 1) {
        counts.uploads += 1;
        if (faulted("upload", res)) return true;
        const form = await new Request("http://test.local/upload", { method: "POST", headers: req.headers as Record<string, string>, body }).formData();
        const file = form.get("file");
        const purpose = form.get("purpose");
        if (!(file instanceof Blob) || typeof purpose !== "string") {
          send(res, 400, { error: { message: "multipart upload needs `file` and `purpose`", type: "invalid_request_error" } });
          return true;
        }
        const name = (file as File).name ?? "upload.jsonl";
        send(res, 200, fileJson(addFile(name, purpose, await file.text())));
        return true;
      }
      const file = files.get(parts[1] ?? "");
      if (!file) {
        notFound(res, "file");
        return true;
      }
      if (req.method === "GET" && parts[2] === "content") {
        counts.contents += 1;
        if (faulted("content", res)) return true;
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": Buffer.byteLength(file.content) });
        res.end(file.content);
        return true;
      }
      if (req.method === "GET" && parts.length === 2) {
        send(res, 200, fileJson(file));
        return true;
      }
      notFound(res, "route");
      return true;
    }
    // batches
    if (req.method === "POST" && parts.length === 1) {
      counts.creates += 1;
      if (faulted("create", res)) return true;
      const request = JSON.parse(body.toString("utf8") || "{}") as {
        input_file_id?: string;
        endpoint?: string;
        completion_window?: string;
        metadata?: Record<string, string>;
      };
      const input = files.get(request.input_file_id ?? "");
      if (input?.purpose !== "batch") {
        send(res, 400, { error: { message: `input_file_id ${request.input_file_id} is not an uploaded batch file`, type: "invalid_request_error" } });
        return true;
      }
      if (request.endpoint !== "/v1/chat/completions" || request.completion_window !== "24h") {
        send(res, 400, { error: { message: "endpoint must be /v1/chat/completions and completion_window 24h", type: "invalid_request_error" } });
        return true;
      }
      batchCounter += 1;
      const batch: StoredBatch = {
        id: `batch_test_${batchCounter}`,
        inputFileId: input.id,
        status: "validating",
        polls: 0,
        output: [],
        errors: [],
        lines: input.content.split("\n").filter((line) => line.trim() !== ""),
        answered: 0,
        outputFileId: null,
        errorFileId: null,
        createdAt: 1_700_000_000 + batchCounter,
        metadata: request.metadata ?? null,
      };
      batches.push(batch);
      send(res, 200, batchJson(batch));
      return true;
    }
    if (req.method === "GET" && parts.length === 1) {
      counts.lists += 1;
      if (faulted("list", res)) return true;
      const query = new URLSearchParams(url.split("?")[1] ?? "");
      const limit = Number(query.get("limit") ?? 20);
      const after = query.get("after");
      const newestFirst = [...batches].reverse();
      const start = after ? newestFirst.findIndex((b) => b.id === after) + 1 : 0;
      const page = newestFirst.slice(start, start + limit);
      send(res, 200, {
        object: "list",
        data: page.map(batchJson),
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
        has_more: start + limit < newestFirst.length,
      });
      return true;
    }
    const batch = batches.find((b) => b.id === parts[1]);
    if (!batch) {
      notFound(res, "batch");
      return true;
    }
    if (req.method === "GET" && parts.length === 2) {
      counts.retrieves += 1;
      if (faulted("retrieve", res)) return true;
      await advance(batch);
      send(res, 200, batchJson(batch));
      return true;
    }
    if (req.method === "POST" && parts[2] === "cancel") {
      counts.cancels += 1;
      if (!["completed", "expired", "failed", "cancelled"].includes(batch.status)) batch.status = "cancelling";
      send(res, 200, batchJson(batch));
      return true;
    }
    notFound(res, "route");
    return true;
  };

  return {
    files,
    batches,
    counts,
    configure(change) {
      Object.assign(behaviour, change);
    },
    release() {
      behaviour.hold = false;
      behaviour.holdFrom = undefined;
    },
    failNext(route, status, times = 1) {
      faults.set(route, { status, times });
    },
    handle,
  };
}
