import { _iterSSEMessages } from "openai/streaming";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../test/helpers/openai-server.js";
import { SseDecoder, type SseEvent } from "./sse-decoder.js";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Decodes `bytes` fed in the given pieces (cut at the offsets). */
function decode(bytes: Uint8Array, cuts: number[] = []): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...decoder.push(bytes.subarray(at, cut)));
    at = cut;
  }
  events.push(...decoder.end());
  return events;
}

/** The openai SDK's own reading of the same body in the same pieces. */
async function sdkDecode(bytes: Uint8Array, cuts: number[] = []): Promise<SseEvent[]> {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.slice(at, cut));
    at = cut;
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  const events: SseEvent[] = [];
  for await (const sse of _iterSSEMessages(new Response(body), new AbortController())) events.push({ event: sse.event, data: sse.data });
  return events;
}

describe("SseDecoder", () => {
  it("reads events with LF, CRLF and CR line ends alike", () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const body = ["data: one", "", "event: named", "data: two", "data:  three", "", ": a comment", "id: 7", "retry: 10", "data", "", ""].join(eol);
      expect(decode(utf8(body)), JSON.stringify(eol)).toEqual([
        { event: null, data: "one" },
        { event: "named", data: "two\n three" },
        { event: null, data: "" },
      ]);
    }
  });

  it("gives the same events however the bytes are cut, byte by byte included", () => {
    const body = utf8('data: {"a":"日本語 ✓ 😀"}\r\n\r\nevent: x\rdata: b\r\rdata: c\n\n');
    const whole = decode(body);
    expect(whole).toEqual([
      { event: null, data: '{"a":"日本語 ✓ 😀"}' },
      { event: "x", data: "b" },
      { event: null, data: "c" },
    ]);
    expect(
      decode(
        body,
        Array.from({ length: body.length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(whole);
    for (let cut = 1; cut < body.length; cut++) expect(decode(body, [cut]), `cut at ${cut}`).toEqual(whole);
  });

  it("does not take a CR at the end of one chunk and an LF at the start of the next for two line ends", () => {
    // "data: a" CR | LF "data: b" LF LF is one event "a\nb"; two line ends would make it two events.
    expect(decode(utf8("data: a\r\ndata: b\n\n"), [8])).toEqual([{ event: null, data: "a\nb" }]);
  });

  it("reads an event whose one line spans many chunks", () => {
    const big = "é".repeat(300_000);
    const body = utf8(`data: a\n\ndata: ${big}\r\ndata: end\n\n`);
    const cuts = Array.from({ length: 999 }, (_, i) => Math.floor(((i + 1) * body.length) / 1000));
    expect(decode(body, cuts)).toEqual([
      { event: null, data: "a" },
      { event: null, data: `${big}\nend` },
    ]);
  });

  it("drops a leading BOM, events without data, and an event the body ends inside", () => {
    expect(decode(utf8("\ufeffdata: first\n\nevent: ping\n\ndata: cut off\n"))).toEqual([{ event: null, data: "first" }]);
    expect(decode(utf8("data: no blank line at the end"))).toEqual([]);
  });

  it("matches the openai SDK's reading on random bodies cut at random places", async () => {
    const next = seededRandom(20261204); // seeded, so a failure replays
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const values = ["x", "", " lead", "a:b", "ü", "😀", '{"choices":[]}', "[DONE]", "data: nested"];
    for (let round = 0; round < 300; round++) {
      const eol = pick(["\n", "\r\n", "\r"]);
      let body = next() < 0.2 ? "\ufeff" : "";
      const events = 1 + Math.floor(next() * 6);
      for (let e = 0; e < events; e++) {
        const lines: string[] = [];
        if (next() < 0.3) lines.push(`event: ${pick(["message", "delta", "error"])}`);
        if (next() < 0.2) lines.push(": keep-alive");
        if (next() < 0.1) lines.push(`id: ${e}`);
        // Every event has data: the SDK also dispatches an event with no data (data ""), the format does not.
        const dataLines = 1 + Math.floor(next() * 3);
        for (let d = 0; d < dataLines; d++) lines.push(pick(["data: ", "data:", "data:  "]) + pick(values));
        body += lines.join(eol) + eol + eol;
      }
      const bytes = utf8(body);
      const cuts = Array.from({ length: Math.floor(next() * 5) }, () => 1 + Math.floor(next() * (bytes.length - 1)))
        .filter((cut) => cut > 0 && cut < bytes.length)
        .sort((a, b) => a - b);
      expect(decode(bytes, cuts), `round ${round}: ${JSON.stringify(body)} cut at ${cuts}`).toEqual(await sdkDecode(bytes, cuts));
    }
  });
});
