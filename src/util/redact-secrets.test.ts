import { describe, expect, it } from "vitest";
import { redactedError, redactSecrets } from "./redact-secrets.js";

describe("redactSecrets", () => {
  it("removes configured values, Bearer tokens and key-shaped tokens", () => {
    expect(redactSecrets("key gw.123456789 rejected", ["gw.123456789"])).toBe("key [redacted] rejected");
    expect(redactSecrets('header "Bearer abc.def-ghi" was sent')).toBe('header "[redacted]" was sent');
    expect(redactSecrets("Incorrect API key provided: sk-proj-abcDEF123456_-x.")).toBe("Incorrect API key provided: [redacted].");
    expect(redactSecrets("token hf_AbCdEf123456 invalid")).toBe("token [redacted] invalid");
    expect(redactSecrets('{"authorization": "xyz-secret", "x-api-key": "k9"}')).toBe('{"authorization": "[redacted]", "x-api-key": "[redacted]"}');
  });

  it("leaves ordinary text and short configured values alone", () => {
    expect(redactSecrets("task-based skills and hf models", ["no"])).toBe("task-based skills and hf models");
    expect(redactSecrets("HTTP 500: Internal server error")).toBe("HTTP 500: Internal server error");
  });

  it("redactedError keeps the name, redacts message and stack", () => {
    const original = new TypeError("bad key sk-abcdefghijkl");
    const copy = redactedError(original);
    expect(copy.name).toBe("TypeError");
    expect(copy.message).toBe("bad key [redacted]");
    expect(copy.stack).not.toContain("sk-abcdefghijkl");
  });
});
