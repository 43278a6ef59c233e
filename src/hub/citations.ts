/**
 * @module hub/citations — BibTeX for the work a dataset builds on, added to dataset cards when it is
 * involved (LongWriter-6k and the other THUDM LongWriter data, LongBench-Write, its judge and S_l).
 */

/** The LongWriter paper (arXiv 2408.07055, ICLR 2025). */
export const LONGWRITER_BIBTEX = `@inproceedings{bai2025longwriter,
  title     = {LongWriter: Unleashing 10,000+ Word Generation from Long Context {LLMs}},
  author    = {Yushi Bai and Jiajie Zhang and Xin Lv and Linzhi Zheng and Siqi Zhu and Lei Hou and Yuxiao Dong and Jie Tang and Juanzi Li},
  booktitle = {The Thirteenth International Conference on Learning Representations (ICLR)},
  year      = {2025},
  eprint    = {2408.07055},
  archivePrefix = {arXiv},
  url       = {https://arxiv.org/abs/2408.07055}
}`;

/** Whether a source name (Hub repo id or file name) is LongWriter's data or its benchmark. */
export function isLongWriterSource(name: string): boolean {
  return /longwriter|longbench[-_]?write|longwrite[-_]ruler/i.test(name);
}
