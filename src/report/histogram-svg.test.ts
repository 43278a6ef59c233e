import { describe, expect, it } from "vitest";
import { binValues, formatTick, niceTicks, renderHistogramSvg } from "./histogram-svg.js";

/** Minimal well-formedness check: every tag closes in order, attributes are quoted, entities are known. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    const between = xml.slice(last, m.index);
    expect(between).not.toMatch(/[<>]/);
    expect(between.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
    last = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name!);
  }
  expect(xml.slice(last).trim()).toBe("");
  expect(stack).toEqual([]);
}

describe("binValues", () => {
  it("counts values into equal-width bins, the maximum in the last bin", () => {
    const data = binValues([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { bins: 5 });
    expect(data.bins.map((b) => b.count)).toEqual([2, 2, 2, 2, 3]);
    expect(data.bins[0]).toMatchObject({ lower: 0, upper: 2 });
    expect(data.total).toBe(11);
  });

  it("bins in log space and excludes non-positive and non-finite values", () => {
    const data = binValues([1, 10, 100, 1000, 0, -5, Number.NaN, Infinity], { bins: 3, logX: true });
    expect(data.bins.map((b) => b.count)).toEqual([1, 1, 2]);
    expect(data.bins[1]!.lower).toBeCloseTo(10);
    expect(data.excluded).toBe(4);
  });

  it("uses explicit edges and counts values outside them as excluded", () => {
    const data = binValues([1, 2000, 4000, 9000, 20000], { bins: [0, 2000, 4000, 10000] });
    expect(data.bins.map((b) => b.count)).toEqual([1, 1, 2]);
    expect(data.excluded).toBe(1);
    expect(() => binValues([1], { bins: [3, 2] })).toThrow(/ascending/);
    expect(() => binValues([1], { bins: 0 })).toThrow(/positive integer/);
  });

  it("handles a single distinct value and no values", () => {
    expect(binValues([5, 5, 5]).bins).toEqual([{ lower: 2.5, upper: 7.5, count: 3 }]);
    expect(binValues([]).total).toBe(0);
  });
});

describe("renderHistogramSvg", () => {
  const values = Array.from({ length: 500 }, (_, i) => Math.round(100 + ((i * 7919) % 500) * 30));

  it("renders a well-formed standalone SVG with title, axes, ticks and bars", () => {
    const svg = renderHistogramSvg({ title: 'Lengths <"words" & more>', values, xLabel: "words", bins: 20 });
    assertWellFormedXml(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain("<title>Lengths &lt;&quot;words&quot; &amp; more&gt;</title>");
    expect(svg).toContain(">words</text>");
    expect(svg).toContain(">count</text>");
    expect(svg).toContain("n = 500");
    expect((svg.match(/<rect x=/g) ?? []).length).toBe(1 + 20); // background + one bar per non-empty bin
    expect(svg).toMatch(/>\d+(\.\d)?k<\/text>/); // compact x tick labels
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("is deterministic", () => {
    const a = renderHistogramSvg({ title: "t", values, xLabel: "x", logX: true });
    const b = renderHistogramSvg({ title: "t", values: [...values], xLabel: "x", logX: true });
    expect(a).toBe(b);
    expect(a).toContain("x (log scale)");
    assertWellFormedXml(a);
  });

  it("renders an empty chart with a note when there is no data", () => {
    const svg = renderHistogramSvg({ title: "empty", values: [Number.NaN], xLabel: "x" });
    assertWellFormedXml(svg);
    expect(svg).toContain("no data");
    expect(svg).toContain("n = 0, 1 excluded");
  });

  it("rejects absurd sizes", () => {
    expect(() => renderHistogramSvg({ title: "t", values, xLabel: "x", width: 10 })).toThrow(RangeError);
  });
});

describe("ticks", () => {
  it("picks round steps and compact labels", () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 37, 5)).toEqual([0, 10, 20, 30]);
    expect(formatTick(1200)).toBe("1.2k");
    expect(formatTick(30000)).toBe("30k");
    expect(formatTick(2_500_000)).toBe("2.5M");
    expect(formatTick(0.25)).toBe("0.25");
    expect(formatTick(7)).toBe("7");
  });
});
