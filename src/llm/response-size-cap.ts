/**
 * @module llm/response-size-cap — the response-size cap of the LLM client: no HTTP response body may pass
 * `maxBytes` (a server that ignores max_tokens cannot fill memory). Raised inside the body stream as a
 * ResponseTooLargeError, which the client maps to an LlmCallError of kind "too_large".
 */

/** A response body passed the size cap. */
export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the response body passed ${maxBytes} bytes (the response size cap)`);
    this.name = "ResponseTooLargeError";
  }
}

/**
 * Wraps a WHATWG `fetch` so that no response body passes `maxBytes`: the body stream errors with a
 * ResponseTooLargeError as soon as more bytes arrive (the SDK never buffers an unbounded body).
 */
export function cappedBodyFetch(inner: typeof fetch, maxBytes: number): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    let bytes = 0;
    // One pull-through stream (not pipeThrough a TransformStream: that pipes every chunk through a
    // writable and a readable, about 3x the CPU per response in a micro-benchmark).
    const reader = response.body.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        bytes += value.byteLength;
        if (bytes > maxBytes) {
          controller.error(new ResponseTooLargeError(maxBytes));
          await reader.cancel().catch(() => undefined);
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
