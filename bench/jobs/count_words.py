"""bench/jobs/count_words.py: LongBench-Write's count_words, the plain Python way, over a file line by line.

Reports the time to read and count (`workMs`) and, separately, the counting loop alone over lines already
in memory (`countMs`), the same two numbers the TypeScript job reports.
"""
import json
import re
import sys
import time


def count_words(text):
    chinese_characters = re.findall(r'[\u4e00-\u9fff]', text)
    english_words = re.findall(r'\b[a-zA-Z]+\b', text)
    return len(chinese_characters) + len(english_words)


started = time.perf_counter()
words = 0
lines = 0
with open(sys.argv[1], encoding="utf-8", newline="\n") as f:
    for line in f:
        words += count_words(line)
        lines += 1
work_ms = (time.perf_counter() - started) * 1000

with open(sys.argv[1], encoding="utf-8", newline="\n") as f:
    texts = f.readlines()
started = time.perf_counter()
again = 0
for text in texts:
    again += count_words(text)
count_ms = (time.perf_counter() - started) * 1000
if again != words:
    sys.exit(f"count differs between passes: {words} vs {again}")
print(json.dumps({"words": words, "lines": lines, "workMs": work_ms, "countMs": count_ms}))
