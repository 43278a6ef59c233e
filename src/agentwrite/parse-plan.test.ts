import { describe, expect, it } from "vitest";
import { formatPlan, parsePlan, validatePlan } from "./parse-plan.js";

/** Parses and returns [mainPoint, words] pairs, failing the test when parsing fails. */
function steps(reply: string): Array<[string, number | null]> {
  const result = parsePlan(reply);
  if (!result.ok) throw new Error(`parse failed: ${result.reason}`);
  result.plan.steps.forEach((s, i) => expect(s.index).toBe(i + 1));
  return result.plan.steps.map((s) => [s.mainPoint, s.words]);
}

describe("parsePlan on real-world-shaped replies", () => {
  it("1. our own format", () => {
    expect(steps("Section 1 | 400 words | Open on the harbour at dawn\nSection 2 | 650 words | The storm arrives")).toEqual([
      ["Open on the harbour at dawn", 400],
      ["The storm arrives", 650],
    ]);
  });

  it("2. LongWriter's exact line format", () => {
    const reply = [
      "Paragraph 1 - Main Point: Introduce the history of tea in China, from legend to the Tang dynasty - Word Count: 500 words",
      "Paragraph 2 - Main Point: Describe Lu Yu's Classic of Tea and its influence - Word Count: 700 words",
      "Paragraph 3 - Main Point: Trade routes, the Tea Horse Road - Word Count: 800 words",
    ].join("\n");
    expect(steps(reply)).toEqual([
      ["Introduce the history of tea in China, from legend to the Tang dynasty", 500],
      ["Describe Lu Yu's Classic of Tea and its influence", 700],
      ["Trade routes, the Tea Horse Road", 800],
    ]);
  });

  it("3. prose before and after the plan", () => {
    const reply = [
      "Sure! Here is a detailed plan for your essay:",
      "",
      "Paragraph 1 - Main Point: Define remote work - Word Count: 300 words",
      "Paragraph 2 - Main Point: Productivity evidence - Word Count: 600 words",
      "",
      "Total: 900 words. Let me know if you want any changes!",
    ].join("\n");
    expect(steps(reply)).toEqual([
      ["Define remote work", 300],
      ["Productivity evidence", 600],
    ]);
  });

  it("4. markdown bold labels on one line", () => {
    const reply =
      "**Paragraph 1** - **Main Point:** The village before the war - **Word Count:** 450 words\n**Paragraph 2** - **Main Point:** Conscription - **Word Count:** 550 words";
    expect(steps(reply)).toEqual([
      ["The village before the war", 450],
      ["Conscription", 550],
    ]);
  });

  it("5. markdown with each field on its own bullet line", () => {
    const reply = [
      "### Paragraph 1",
      "- **Main Point:** Why cities need trees",
      "- **Word Count:** 400 words",
      "",
      "### Paragraph 2",
      "- **Main Point:** Heat islands and shade",
      "- **Word Count:** 500 words",
    ].join("\n");
    expect(steps(reply)).toEqual([
      ["Why cities need trees", 400],
      ["Heat islands and shade", 500],
    ]);
  });

  it("6. Chinese LongWriter format with full-width colons", () => {
    const reply =
      "段落1 - 要点：介绍春节的起源与传说 - 字数：500字\n段落2 - 要点：描述除夕夜的家庭团聚 - 字数：800字\n段落3 - 要点：现代春节的变化 - 字数：700字";
    expect(steps(reply)).toEqual([
      ["介绍春节的起源与传说", 500],
      ["描述除夕夜的家庭团聚", 800],
      ["现代春节的变化", 700],
    ]);
  });

  it("7. Chinese ordinal sections with parenthesised budgets", () => {
    const reply = "好的，以下是写作计划：\n第一段：开篇描写江南小镇的清晨（约400字）\n第二段：主人公回到故乡（约600字）\n第十二段：结尾（300字）";
    expect(steps(reply)).toEqual([
      ["开篇描写江南小镇的清晨", 400],
      ["主人公回到故乡", 600],
      ["结尾", 300],
    ]);
  });

  it("8. missing word counts keep null budgets", () => {
    const reply =
      "Paragraph 1 - Main Point: The problem\nParagraph 2 - Main Point: The solution - Word Count: 500 words\nParagraph 3 - Main Point: The outlook";
    expect(steps(reply)).toEqual([
      ["The problem", null],
      ["The solution", 500],
      ["The outlook", null],
    ]);
  });

  it("9. a numbered list with budgets in parentheses", () => {
    const reply = "1. Introduction to quantum computing (300 words)\n2. Qubits and superposition (about 600 words)\n3) Error correction — 700 words";
    expect(steps(reply)).toEqual([
      ["Introduction to quantum computing", 300],
      ["Qubits and superposition", 600],
      ["Error correction", 700],
    ]);
  });

  it("10. budget ranges and thousands separators", () => {
    const reply = "Paragraph 1 - Main Point: Setting - Word Count: 400-600 words\nParagraph 2 - Main Point: Climax - Word Count: 1,200 words";
    expect(steps(reply)).toEqual([
      ["Setting", 500],
      ["Climax", 1200],
    ]);
  });

  it("11. a fenced code block around the plan", () => {
    const reply = "```\nSection 1 | 300 words | Hook\nSection 2 | 300 words | Body\n```";
    expect(steps(reply)).toEqual([
      ["Hook", 300],
      ["Body", 300],
    ]);
  });

  it("12. a markdown table", () => {
    const reply = "| Section | Words | Main point |\n|---|---|---|\n| 1 | 400 words | Arrival in Lisbon |\n| 2 | 500 words | The tram ride |";
    expect(steps(reply)).toEqual([
      ["Arrival in Lisbon", 400],
      ["The tram ride", 500],
    ]);
  });

  it("13. 60 steps parse but fail validation as a runaway plan", () => {
    const reply = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} - Main Point: point ${i + 1} - Word Count: 200 words`).join("\n");
    const result = parsePlan(reply);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.steps).toHaveLength(60);
    const check = validatePlan(result.plan);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain("at most 50");
  });

  it("14. a refusal or sentinel is not a plan", () => {
    expect(parsePlan("I'm sorry, but I can't help with that request.").ok).toBe(false);
    expect(parsePlan("Max tries. Failed.").ok).toBe(false);
    expect(parsePlan("").ok).toBe(false);
  });

  it("15. headers without main points are not steps", () => {
    const result = parsePlan("Paragraph 1 -\nParagraph 2 -");
    expect(result.ok).toBe(false);
  });

  it("16. a header line followed by a free-text main point line", () => {
    const reply = "Section 1 (350 words)\nA portrait of the narrator's grandmother.\n\nSection 2 (450 words)\nThe summer the river flooded.";
    expect(steps(reply)).toEqual([
      ["A portrait of the narrator's grandmother.", 350],
      ["The summer the river flooded.", 450],
    ]);
  });

  it("17. mixed Chinese numbering 段落 with colon after number and 字数 in words", () => {
    const reply = "段落 1：要点：人工智能的定义 - 字数：约600字\n段落 2：要点：伦理挑战 - 字数：900字\n总字数：1500字";
    expect(steps(reply)).toEqual([
      ["人工智能的定义", 600],
      ["伦理挑战", 900],
    ]);
  });

  it("18. unnumbered lines that carry budgets", () => {
    const reply = "Opening scene on the train - 500 words\nThe stranger's story - 700 words";
    expect(steps(reply)).toEqual([
      ["Opening scene on the train", 500],
      ["The stranger's story", 700],
    ]);
  });

  it("19. lowercase labels and en-dashes", () => {
    const reply = "paragraph 1 – main point: Why sleep matters – word count: 300 words\nparagraph 2 – main point: Sleep hygiene – word count: 400 words";
    expect(steps(reply)).toEqual([
      ["Why sleep matters", 300],
      ["Sleep hygiene", 400],
    ]);
  });
});

describe("parsePlan, template echoes", () => {
  it("20. brackets copied from LongWriter's template", () => {
    const reply =
      "Paragraph 1 - Main Point: [The founding of the city] - Word Count: [400 words]\nParagraph 2 - Main Point: [Its decline] - Word Count: [e.g., 600 words]";
    expect(steps(reply)).toEqual([
      ["The founding of the city", 400],
      ["Its decline", 600],
    ]);
  });
});

describe("parsePlan, budgets in other places", () => {
  it.each([
    [
      "Paragraph 1 (400 words): Intro to the topic\nParagraph 2 (500 words): Body",
      [
        ["Intro to the topic", 400],
        ["Body", 500],
      ],
    ],
    [
      "Paragraph 1: Intro (Word Count: 400)\nParagraph 2: Body (Word Count: 500 words)",
      [
        ["Intro", 400],
        ["Body", 500],
      ],
    ],
    [
      "Paragraph 1 - Intro - 400 words\nParagraph 2 - Body - 500 words",
      [
        ["Intro", 400],
        ["Body", 500],
      ],
    ],
    [
      "**Section 1: Introduction** (approx. 300 words)\nSet the scene.\n**Section 2: Rise** (approx. 700 words)\nThe climb.",
      [
        ["Introduction", 300],
        ["Rise", 700],
      ],
    ],
    [
      "Part 1 — The Call (about 800 words): Hero receives the call.\nPart 2 — The Road (about 900 words): Trials.",
      [
        ["The Call: Hero receives the call.", 800],
        ["The Road: Trials.", 900],
      ],
    ],
    [
      "第1部分：背景介绍，约500字\n第2部分：主要论点，约800字",
      [
        ["背景介绍", 500],
        ["主要论点", 800],
      ],
    ],
  ] as Array<[string, Array<[string, number]>]>)("%j", (reply, expected) => {
    expect(steps(reply)).toEqual(expected);
  });
});

describe("validatePlan", () => {
  const plan = (words: Array<number | null>) => {
    const steps = words.map((w, i) => ({ index: i + 1, mainPoint: `p${i}`, words: w }));
    return { steps, totalWords: words.reduce<number>((s, w) => s + (w ?? 0), 0) };
  };
  it("accepts budgets near the required length and rejects far ones", () => {
    expect(validatePlan(plan([1000, 1000, 1000]), { requiredLength: 3000 }).ok).toBe(true);
    expect(validatePlan(plan([1000, 1000, 1000]), { requiredLength: 10000 }).ok).toBe(false);
    expect(validatePlan(plan([1000, null, 1000]), { requiredLength: 3000 }).ok).toBe(true);
    expect(validatePlan(plan([100, null, null, null]), { requiredLength: 3000 }).ok).toBe(false);
    expect(validatePlan(plan([null, null]), { requiredLength: 3000 }).ok).toBe(true);
    expect(validatePlan(plan([200]), { requiredLength: null }).ok).toBe(true);
  });
  it("enforces the step bounds", () => {
    expect(validatePlan(plan([]), {}).ok).toBe(false);
    expect(validatePlan(plan([300, 300]), { maxSteps: 1 }).ok).toBe(false);
  });
  it("formats a plan in our line format, which parses back to the same steps", () => {
    const original = plan([400, null]);
    const again = parsePlan(formatPlan(original));
    expect(again.ok && again.plan.steps).toEqual(original.steps);
    const chinese = parsePlan(formatPlan(original, "字"));
    expect(chinese.ok && chinese.plan.steps).toEqual(original.steps);
  });
});
