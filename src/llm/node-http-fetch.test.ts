import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import OpenAI, { APIConnectionError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer, type OpenAiServer } from "../../test/helpers/openai-server.js";
import { ToolkitError } from "../errors.js";
import { nodeHttpFetch } from "./node-http-fetch.js";
import { ResponseTooLargeError } from "./response-size-cap.js";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end("unset");
let server: Server;
let base = "";
let openai: OpenAiServer;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  openai = await startOpenAiServer({ respond: (body) => ({ text: `echo: ${body.messages[0]!.content}`, chunks: 6 }) });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await openai.close();
});

const transport = (maxResponseBytes = 1 << 20, fallback?: typeof fetch) => nodeHttpFetch({ maxResponseBytes, fallback });

describe("nodeHttpFetch", () => {
  it("sends method, headers and body, and answers status, headers and text like fetch", async () => {
    let seen: { method?: string | undefined; url?: string | undefined; headers?: IncomingMessage["headers"]; body?: string } = {};
    handler = (req, body, res) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(201, "Made", { "content-type": "application/json", "x-request-id": "r1" });
      res.end(JSON.stringify({ ok: "é" }));
    };
    const headers = new Headers({ "Content-Type": "application/json", Authorization: "Bearer k" });
    const response = await transport()(`${base}/v1/x?q=1`, { method: "POST", headers, body: '{"a":"ü"}' });
    expect(seen).toMatchObject({ method: "POST", url: "/v1/x?q=1", body: '{"a":"ü"}' });
    expect(seen.headers).toMatchObject({ "content-type": "application/json", authorization: "Bearer k", "content-length": "10" });
    expect(response).toMatchObject({ status: 201, statusText: "Made", ok: true, url: `${base}/v1/x?q=1` });
    expect(response.headers.get("x-request-id")).toBe("r1");
    expect([...response.headers.entries()]).toContainEqual(["content-type", "application/json"]);
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ ok: "é" });
    expect(response.bodyUsed).toBe(true);
    const failed = await transport()(`${base}/v1/x`, { method: "GET" });
    expect(failed.ok).toBe(true); // 201 above, 200 here: ok is 2xx
    handler = (_req, _body, res) => {
      res.writeHead(503);
      res.end("busy");
    };
    const busy = await transport()(`${base}/v1/x`);
    expect(busy).toMatchObject({ status: 503, ok: false });
    expect(await busy.text()).toBe("busy");
  });

  it("streams the body as byte chunks, in order, as they arrive", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        if (n <= 3) res.write(`data: ${n}\n\n`);
        else {
          clearInterval(timer);
          res.end();
        }
      }, 10);
    };
    const response = await transport()(`${base}/sse`);
    const parts: string[] = [];
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parts.push(Buffer.from(chunk).toString());
    expect(parts.join("")).toBe("data: 1\n\ndata: 2\n\ndata: 3\n\n");
    expect(parts.length).toBeGreaterThan(1);
  });

  it("keeps connections alive between requests, also after a body read only in part and discarded", async () => {
    const ports = new Set<number | undefined>();
    handler = (req, body, res) => {
      ports.add(req.socket.remotePort);
      res.end(`got ${body.length}`);
    };
    const f = transport();
    for (let i = 0; i < 5; i += 1) expect(await (await f(`${base}/k`, { method: "POST", body: "x".repeat(i) })).text()).toBe(`got ${i}`);
    expect(ports.size).toBe(1);
    // A discarded body (the SDK cancels error bodies before it retries) frees its socket: the next call still works.
    handler = (_req, _body, res) => {
      res.writeHead(429);
      res.write("a".repeat(1000));
      setTimeout(() => res.end("b"), 50);
    };
    const limited = await f(`${base}/k`);
    const iterator = (limited.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await iterator.return?.();
    handler = (_req, _body, res) => res.end("after");
    expect(await (await f(`${base}/k`)).text()).toBe("after");
  });

  it("follows redirects like fetch: 307 keeps the POST, 303 turns it into a GET, the key stays on its origin, loops end", async () => {
    const seen: string[] = [];
    handler = (req, body, res) => {
      seen.push(`${req.method} ${req.headers.host?.split(":")[0]} ${req.url} body=${body} auth=${req.headers.authorization ?? "-"}`);
      const port = (server.address() as AddressInfo).port;
      if (req.url === "/moved") res.writeHead(307, { location: "/v1/chat" }).end("moving");
      else if (req.url === "/see-other") res.writeHead(303, { location: "/v1/result" }).end();
      else if (req.url === "/elsewhere") res.writeHead(308, { location: `http://localhost:${port}/v1/chat` }).end();
      else if (req.url === "/loop") res.writeHead(302, { location: "/loop" }).end();
      else res.end(`answer to ${req.method} ${req.url}`);
    };
    const post = { method: "POST", body: '{"q":1}', headers: { authorization: "Bearer sk-test", "content-type": "application/json" } };
    const fetch = transport();

    const moved = await fetch(`${base}/moved`, post);
    expect([moved.status, moved.redirected, moved.url, await moved.text()]).toEqual([200, true, `${base}/v1/chat`, "answer to POST /v1/chat"]);
    const seeOther = await fetch(`${base}/see-other`, post);
    expect(await seeOther.text()).toBe("answer to GET /v1/result");
    await (await fetch(`${base}/elsewhere`, post)).text();
    expect(seen).toEqual([
      'POST 127.0.0.1 /moved body={"q":1} auth=Bearer sk-test',
      'POST 127.0.0.1 /v1/chat body={"q":1} auth=Bearer sk-test',
      'POST 127.0.0.1 /see-other body={"q":1} auth=Bearer sk-test',
      "GET 127.0.0.1 /v1/result body= auth=Bearer sk-test",
      'POST 127.0.0.1 /elsewhere body={"q":1} auth=Bearer sk-test',
      'POST localhost /v1/chat body={"q":1} auth=-',
    ]);

    const manual = await fetch(`${base}/moved`, { ...post, redirect: "manual" });
    expect([manual.status, manual.redirected, manual.headers.get("location")]).toEqual([307, false, "/v1/chat"]);
    await manual.text();
    seen.length = 0;
    const loop = await fetch(`${base}/loop`, post).catch((error: unknown) => error);
    expect(ToolkitError.isInstance(loop) && loop.message).toBe("fetch failed: more than 20 redirects");
    expect(seen).toHaveLength(21);
    expect(seen[1]).toBe("GET 127.0.0.1 /loop body= auth=Bearer sk-test");
  });

  it("stops a body past maxResponseBytes with ResponseTooLargeError", async () => {
    handler = (_req, _body, res) => {
      res.write("x".repeat(600));
      setTimeout(() => res.end("y".repeat(600)), 20);
    };
    const response = await transport(1000)(`${base}/big`);
    await expect(response.text()).rejects.toBeInstanceOf(ResponseTooLargeError);
    handler = (_req, _body, res) => res.end("z".repeat(1000));
    expect(await (await transport(1000)(`${base}/exact`)).text()).toHaveLength(1000);
  });

  it("rejects with the signal's AbortError before the head, and ends the body with it after", async () => {
    handler = () => undefined; // never answers
    const early = new AbortController();
    const pending = transport()(`${base}/hang`, { signal: early.signal });
    setTimeout(() => early.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    const pre = new AbortController();
    pre.abort();
    await expect(transport()(`${base}/hang`, { signal: pre.signal })).rejects.toMatchObject({ name: "AbortError" });

    handler = (_req, _body, res) => res.write("first part"); // head and a chunk, then silence
    const late = new AbortController();
    const response = await transport()(`${base}/stall`, { signal: late.signal });
    const iterator = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe("first part");
    setTimeout(() => late.abort(), 20);
    await expect(iterator.next()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects a refused connection with a connection error carrying the socket error as its cause", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await transport()(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolkitError);
    expect(error).toMatchObject({ code: "connection", message: expect.stringMatching(/^fetch failed: .*ECONNREFUSED/), cause: { code: "ECONNREFUSED" } });
    // The SDK reports it as its connection error (what the client maps to kind "connection").
    const sdk = new OpenAI({ apiKey: "k", baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, fetch: transport() });
    await expect(sdk.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(APIConnectionError);
  });

  it("speaks TLS to https URLs, with the default trust store: a self-signed certificate fails as a connection error", async () => {
    const tls = createTlsServer({ key: TEST_KEY, cert: TEST_CERT }, (_req, res) => res.end("secret"));
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    try {
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/v1/x`;
      const error = await transport()(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolkitError);
      // A TLS verdict (not a plain-HTTP parse error): the request went over node:https and checked the chain.
      expect(error).toMatchObject({ code: "connection", cause: { code: "DEPTH_ZERO_SELF_SIGNED_CERT" } });
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it("leaves other bodies (multipart uploads) to the fallback fetch, with the size cap on its body", async () => {
    const seen: string[] = [];
    const fallback: typeof fetch = async (input, init) => {
      seen.push(`${init?.method} ${String(input)} ${init?.body instanceof FormData}`);
      return new Response("w".repeat(50));
    };
    const form = new FormData();
    form.append("purpose", "batch");
    const response = await transport(10, fallback)(`${base}/files`, { method: "POST", body: form });
    expect(seen).toEqual([`POST ${base}/files true`]);
    await expect(response.text()).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("carries the openai SDK's chat calls, streamed and not, with its headers", async () => {
    const sdk = new OpenAI({ apiKey: "sk-test", baseURL: openai.baseURL, maxRetries: 0, fetch: transport() });
    const before = openai.requestCount();
    const stream = await sdk.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hello there" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      usage += chunk.usage?.completion_tokens ?? 0;
    }
    expect(text).toBe("echo: hello there");
    expect(usage).toBeGreaterThan(0);
    const plain = await sdk.chat.completions.create({ model: "m", messages: [{ role: "user", content: "plain" }] });
    expect(plain.choices[0]!.message.content).toBe("echo: plain");
    expect(openai.requests.slice(before).map((r) => [r.stream, r.authorization, r.attempt])).toEqual([
      [true, "Bearer sk-test", 0],
      [false, "Bearer sk-test", 0],
    ]);
  });
});

// A throwaway self-signed certificate for 127.0.0.1 (EC P-256, valid until 2126), made for this test only:
// no client trusts it, which is what the test checks.
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqby1mLrBFCx7MgGO
xnL/PJGfItri2H5NL0Fzz/UjOaqhRANCAAQ3onAHWdLOcatZDxclolW4PDApW8On
Us/9srtBeELQrEtV42xfkRXYFAr+V87mGx9gbX70anobNa+o2XP0yAfO
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgIUfb8zYldpP/tFPhhlDP54TxnJyBEwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwMjE2NDAxMloYDzIxMjYxMTA4
MTY0MDEyWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ3onAHWdLOcatZDxclolW4PDApW8OnUs/9srtBeELQrEtV42xfkRXY
FAr+V87mGx9gbX70anobNa+o2XP0yAfOo2QwYjAdBgNVHQ4EFgQUloHQSHGioRXY
YQROoTQNCD7AgCAwHwYDVR0jBBgwFoAUloHQSHGioRXYYQROoTQNCD7AgCAwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
IE6zS2M5bTeWJW1gUC7WUye2cqhXaA4gh5xv/l9R/FeNAiAbGhuuqBB4rWlusxJ4
cA+9o9aczGJagZt6nCrCfGT4wg==
-----END CERTIFICATE-----
`;
