import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractRequiredLength, extractRequiredLengthDetailed } from "./required-length.js";
import { parseChineseNumeral, parseEnglishNumber } from "./parse-numeral.js";

const DATA = "../shared/data/longbench-write";

function readRows(file: string): Array<{ prompt: string; length: number }> {
  return readFileSync(`${DATA}/${file}`, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { prompt: string; length: number });
}

describe("extractRequiredLength: table", () => {
  it.each<[string, number | null]>([
    // English single values
    ["Write a 5000-word essay on rivers.", 5000],
    ["Write 3,000 words about the French Revolution.", 3000],
    ["a 500 word essay about cats", 500],
    ["Describe your hometown in at least 800 words.", 800],
    ["The story should be at least 6,000 words long.", 6000],
    ["Write a text of more than 5000 words", 5000],
    ["Give me 2000+ words on climate policy", 2000],
    ["Write a two thousand word story", 2000],
    ["Write a thousand-word review of the film", 1000],
    ["Write a 2.5k word blog post", 2500],
    ["Write an essay. Word count: 1500", 1500],
    ["Essay with a word limit of 700", 700],
    ["Write about 1200 Chinese characters on tea", 1200],
    // English ranges → upper bound
    ["Write 300-400 words on recycling", 400],
    ["between 300 and 500 words please", 500],
    ["Aim for 1,500 to 2,000 words.", 2000],
    ["a 300–400 word summary", 400],
    // English per-part
    ["Write 3 paragraphs of 200 words each.", 600],
    ["Write three 500-word essays on trade", 1500],
    ["A novel in 5 chapters, each chapter about 2000 words.", 10000],
    ["Write 4 poems. Each poem should be 100 words.", 400],
    ["Write ten tweets, 30 words each", 300],
    ["Write 3 articles; each article should be 500 words.", 1500],
    ["Write four speeches. Each speech: 250 words.", 1000],
    ["Write 2 diary entries, 300 words per entry", 600],
    // Chinese single values
    ["写一篇2000字的文章", 2000],
    ["写一篇五千字的科幻小说", 5000],
    ["写一篇1万字的报告", 10000],
    ["写一篇两千字的教案", 2000],
    ["写一篇一万五千字的行业报告", 15000],
    ["写个故事，一万五字左右", 15000],
    ["写一篇三千五百字的散文", 3500],
    ["请写一篇1.5万字的论文", 15000],
    ["字数要求：2000左右", 2000],
    ["讲稿字数1400左右", 1400],
    ["请写一篇文章，不少于3000字。", 3000],
    ["写一篇2000多字的心得", 2000],
    ["写一篇３０００字的作文", 3000],
    ["写一篇300词的英语作文", 300],
    ["写一篇千字文章", 1000],
    ["写一篇不低于2万字的小说", 20000],
    ["二十万字的长篇小说", 200000],
    ["write a novel of 100k words", 100000],
    ["篇幅：3000字", 3000],
    ["1500字到2000字", 2000],
    ["不少于两千字，不超过三千字", 3000],
    ["写三段话，每段300字", 900],
    ["Write a 1,000 word essay in 5 paragraphs, each paragraph roughly 200 words", 1000],
    // Chinese ranges and per-part
    ["字数要求100至200字", 200],
    ["生成小红书风格文章，300到400字", 400],
    ["写一篇两千到三千字的报告", 3000],
    ["字数在2000-3000之间", 3000],
    ["创作五篇日记。在日本行程5天，每天一篇。每篇400字左右。", 2000],
    ["分两部分写，各写1000字", 2000],
    ["写一个剧本，共5幕，每幕不少于2000字", 10000],
    ["写5篇文章，每篇文章1000字", 5000],
    ["写一部小说，共10个章节，每个章节不少于2000字", 20000],
    // no stated length
    ["Give me 3 examples of irony.", null],
    ["In 2024, what were the top 10 films?", null],
    ["Plan a 20 minutes workout", null],
    ["Write a 50-page novel about a man", null],
    ["Write 10 pages on the war of 1812", null],
    ["List 20 words that rhyme with cat", null],
    ["Explain these two words: ethos and pathos", null],
    ["The essay ran to several thousand words", null],
    ["Write an essay about Rome", null],
    ["出10道单选题，给出答案", null],
    ["背诵千字文", null],
    ["Write it in 280 characters", null],
    ["Respond in 500 tokens", null],
    ["Rewrite the first 100 words", null],
    ["写一篇关于2000年悉尼奥运会的文章", null],
    ["写一篇作文，字数不限", null],
    ["用四字成语形容春天", null],
    ["生辰八字怎么看", null],
    ["数千字的长文怎么写", null],
    ["画一个十字架", null],
    ["介绍一下UTF-8中一个汉字占3个字节", null],
    ["2023年9月23日举行，采访时间2个小时左右", null],
    ["每次食用2-3克左右", null],
    ["设计一个数据结构来存储5000个单词的字典", null],
    ["Categorize the following three words: joy, rain, sun", null],
  ])("%j → %j", (prompt, expected) => {
    expect(extractRequiredLength(prompt)).toBe(expected);
  });
});

describe("extractRequiredLengthDetailed", () => {
  it("explains the per-part product", () => {
    const details = extractRequiredLengthDetailed("创作五篇日记，每篇400字左右");
    expect(details.length).toBe(2000);
    expect(details.matches).toEqual([{ text: "五篇 … 每篇400字", value: 2000, kind: "per-part", index: expect.any(Number) }]);
  });

  it("ignores the length of the supplied text", () => {
    const en = extractRequiredLengthDetailed("Summarize this 3000-word article in 200 words.");
    expect(en.length).toBe(200);
    expect(en.matches.map((m) => [m.kind, m.value])).toEqual([
      ["input", 3000],
      ["words", 200],
    ]);
    expect(en.ambiguous).toBe(false);
    expect(extractRequiredLength("把这篇3000字的文章缩写成500字")).toBe(500);
  });

  it("flags conflicting requirements and takes the largest", () => {
    const details = extractRequiredLengthDetailed("Write a 2000-word essay; the introduction should be about 200 words.");
    expect(details.length).toBe(2000);
    expect(details.ambiguous).toBe(true);
  });

  it("keeps a per-part length whose count it cannot find out of the result", () => {
    const details = extractRequiredLengthDetailed("Write some poems, each poem 100 words");
    expect(details.length).toBeNull();
    expect(details.matches.map((m) => m.kind)).toEqual(["each"]);
  });

  it("reports offsets into the original prompt", () => {
    const prompt = "Please write a 1200-word report.";
    const [match] = extractRequiredLengthDetailed(prompt).matches;
    expect(match?.index).toBe(prompt.indexOf("1200"));
    expect(match?.text).toBe("1200-word");
  });
});

describe("extractRequiredLength on adversarial input", () => {
  it.each<[string, string]>([
    ["a long run of digits", "1".repeat(20_000) + "x"],
    ["a long run of Chinese numerals", "一".repeat(20_000) + "x"],
    ["a long chain of number words", "one two ".repeat(5000) + "x"],
    ["many per-part mentions", "each paragraph 100 words; 每篇400字。".repeat(3000)],
    ["repeated filler words", "每篇" + "需要".repeat(5000) + "x"],
  ])("%s returns quickly (no catastrophic backtracking)", (_, prompt) => {
    const started = performance.now();
    extractRequiredLength(prompt);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe("numerals", () => {
  it.each<[string, number | null]>([
    ["两千五百", 2500],
    ["一万五千", 15000],
    ["一万五", 15000],
    ["三千五", 3500],
    ["两千零五", 2005],
    ["十五", 15],
    ["二十", 20],
    ["一百二", 120],
    ["半万", 5000],
    ["两千半", 2500],
    ["1万5千", 15000],
    ["1.5万", 15000],
    ["1w", 10000],
    ["3,000", 3000],
    ["二三", null],
    ["字", null],
  ])("Chinese %j → %j", (text, expected) => {
    expect(parseChineseNumeral(text)).toBe(expected);
  });
  it.each<[string, number | null]>([
    ["two thousand five hundred", 2500],
    ["twenty-five hundred", 2500],
    ["a thousand", 1000],
    ["one hundred and fifty", 150],
    ["seven", 7],
    ["many", null],
  ])("English %j → %j", (text, expected) => {
    expect(parseEnglishNumber(text)).toBe(expected);
  });
});

describe("extractRequiredLength on the benchmark files", () => {
  // Prompts of longbench_write.jsonl that state no number of words at all: the annotators supplied a length
  // the prompt does not contain, so the only correct answer from the text is null.
  const NO_STATED_LENGTH: Record<number, string> = {
    13: "a list of 15 emojis with a dialog line each: a count of items, no length",
    41: "a Zhihu article from notes about bird's nest: no length anywhere (only '2-3克')",
    50: "10 multiple-choice questions: a count of items, no length",
    115: "a '50-page novel': pages, not words",
  };

  it("matches the annotated length on ≥ 110 of 120 LongBench-Write prompts; every miss is a prompt with no length", () => {
    const rows = readRows("longbench_write.jsonl");
    expect(rows).toHaveLength(120);
    const misses: Array<{ row: number; expected: number; got: number | null }> = [];
    rows.forEach((row, i) => {
      const got = extractRequiredLength(row.prompt);
      if (got !== row.length) misses.push({ row: i, expected: row.length, got });
    });
    expect(rows.length - misses.length).toBeGreaterThanOrEqual(110);
    for (const miss of misses) {
      expect(miss.got, `row ${miss.row}: a wrong number instead of null`).toBeNull();
      expect(NO_STATED_LENGTH[miss.row], `row ${miss.row} is not a known no-length prompt`).toBeDefined();
    }
    expect(misses.map((m) => m.row)).toEqual([13, 41, 50, 115]);
  });

  it("matches all 48 LongWrite-Ruler prompts", () => {
    const rows = readRows("longwrite_ruler.jsonl");
    expect(rows).toHaveLength(48);
    for (const row of rows) expect(extractRequiredLength(row.prompt), row.prompt).toBe(row.length);
  });
});

describe("extractRequiredLength: patterns shared between calls", () => {
  it("gives every prompt the same answer whatever was read before it (no match state carried over)", () => {
    const prompts = [
      ...readRows("longbench_write.jsonl").map((row) => row.prompt),
      "写五篇日记，每篇400字，分两部分写，各写1000字",
      "Write 3 chapters of 2,000 words each; word count: 6000",
      "Summarize this 3000-word article in 300-400 words",
      "字数要求：2000左右，不少于1500字",
    ];
    const alone = prompts.map((prompt) => extractRequiredLengthDetailed(prompt));
    // Interleaved, reversed, and each prompt right after a long one with matches near its end.
    const long = `${"filler text ".repeat(400)}Write 5 essays of 900 words each and 一万字`;
    const again = [...prompts].reverse().map((prompt) => {
      extractRequiredLengthDetailed(long);
      return extractRequiredLengthDetailed(prompt);
    });
    expect(again.reverse()).toEqual(alone);
  });
});
