/** A `fetch` for tests that refuses anything but 127.0.0.1, so a test can never reach the real network. */
export const loopbackOnlyFetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  if (url.hostname !== "127.0.0.1") throw new Error(`test tried to reach ${url.host}`);
  return fetch(input, init);
}) as typeof fetch;
