// AssemblyScript source of the toolkit's SNAPPY compressor (src/io/snappy-compressor.ts loads it).
// Build: `npm run build:wasm` (scripts/build-wasm.mjs) compiles it and writes src/io/snappy-compress-wasm.ts;
// a test compiles it again and checks that the embedded module is this file's.
//
// It writes Snappy's raw format: the input length as a varint, then literal runs and back-references
// ("copies") of 4 or more bytes at most 64 KiB back. The input is cut into blocks of 64 KiB that are
// compressed on their own, each with a fresh hash table, so the output depends only on the input.
//
// Finding matches: a hash of the 5 bytes at each position looked at maps to the last position in the block
// with that hash (16-bit offsets, at most 32,768 entries); a position it gives is taken when its first 4
// bytes are the same. Hashing 5 bytes rather than 4 (the format's shortest copy) passes over most 4-byte
// matches, which save little and cost as much as any match to emit, and the larger table makes up the ratio:
// on the bench's mix text 386 against 332 MB/s at the same size (ratio 0.6188 against 0.6186), on mixed
// zh/en text 390 against 334 MB/s (0.6298 against 0.6287). Hashing 6 bytes was faster still (460 MB/s) but
// its output 4 % larger. After 32 positions without a match, the scan looks at every second position, after
// 64 at every third, and so on: data that does not compress is crossed quickly, at little cost for text.
// Matches are extended 8 bytes at a time.
//
// Memory: bytes [0, 64 KiB) hold the hash table; the caller puts the input and the output anywhere above.
// It must leave 16 bytes past the input readable and 16 bytes past the output's bound writable: short
// literals are moved 16 bytes at a time, and hashes read 8 bytes.

const TABLE: usize = 0;
const MAX_TABLE_BITS: u32 = 15;
const BLOCK_BYTES: u32 = 65536;
/** Positions this close to a block's end are never looked up (the scan reads 8 bytes, a literal copy 16). */
const END_MARGIN: u32 = 15;

/** Byte offset in the table of the entry for the low 5 bytes of `v` (the 8 bytes at a position), for a table of 2^(64 - `shift`) entries. */
@inline
function slot(v: u64, shift: u64): usize {
  return (<usize>(((v << 24) * 0xcf1bbcdcbb) >> shift)) << 1;
}

/** How many bytes from `a` equal those from `b` (a < b), up to `end`. */
@inline
function matchLength(a: usize, b: usize, end: usize): u32 {
  const start = b;
  while (b + 8 <= end) {
    const diff = load<u64>(a) ^ load<u64>(b);
    if (diff != 0) return <u32>(b - start) + <u32>(ctz(diff) >> 3);
    a += 8;
    b += 8;
  }
  while (b < end && load<u8>(a) == load<u8>(b)) {
    a++;
    b++;
  }
  return <u32>(b - start);
}

/** Writes a literal of the `n` bytes at `from` (n ≥ 1) at `out`; returns the end of what it wrote. */
@inline
function literal(out: usize, from: usize, n: u32): usize {
  const last = n - 1;
  if (last < 60) {
    store<u8>(out, <u8>(last << 2));
    out += 1;
    if (n <= 16) {
      store<u64>(out, load<u64>(from));
      store<u64>(out + 8, load<u64>(from + 8));
      return out + n;
    }
  } else if (last < 0x100) {
    store<u8>(out, 60 << 2);
    store<u8>(out + 1, <u8>last);
    out += 2;
  } else if (last < 0x10000) {
    store<u8>(out, 61 << 2);
    store<u16>(out + 1, <u16>last);
    out += 3;
  } else if (last < 0x1000000) {
    store<u8>(out, 62 << 2);
    store<u16>(out + 1, <u16>last);
    store<u8>(out + 3, <u8>(last >> 16));
    out += 4;
  } else {
    store<u8>(out, 63 << 2);
    store<u32>(out + 1, last);
    out += 5;
  }
  memory.copy(out, from, n);
  return out + n;
}

/** Writes copies of `length` bytes (≥ 4) from `offset` bytes back (< 65,536) at `out`; returns their end. */
@inline
function copy(out: usize, offset: u32, length: u32): usize {
  // Copies of 64 bytes while more than 67 are left, so that the last one has at least 4.
  while (length >= 68) {
    store<u8>(out, 2 | (63 << 2));
    store<u16>(out + 1, <u16>offset);
    out += 3;
    length -= 64;
  }
  if (length > 64) {
    store<u8>(out, 2 | (59 << 2));
    store<u16>(out + 1, <u16>offset);
    out += 3;
    length -= 60;
  }
  if (length < 12 && offset < 2048) {
    store<u8>(out, <u8>(1 | ((length - 4) << 2) | ((offset >> 8) << 5)));
    store<u8>(out + 1, <u8>offset);
    return out + 2;
  }
  store<u8>(out, <u8>(2 | ((length - 1) << 2)));
  store<u16>(out + 1, <u16>offset);
  return out + 3;
}

/** Compresses the block of `length` bytes (≤ 64 KiB) at `base` to `out`; returns the end of what it wrote. */
function block(base: usize, length: u32, out: usize): usize {
  let bits: u32 = 8;
  while (bits < MAX_TABLE_BITS && (<u32>1 << bits) < length) bits++;
  const shift: u64 = 64 - bits;
  memory.fill(TABLE, 0, (<usize>1 << bits) << 1);
  const end = base + length;
  let pending = base; // start of the bytes not yet written
  if (length >= END_MARGIN) {
    const limit = end - END_MARGIN;
    let at = base + 1;
    let nextSlot = slot(load<u64>(at), shift);
    let more = true;
    while (more) {
      // Look for a position whose 4 bytes the table saw before in this block.
      let misses: u32 = 32;
      let next = at;
      let candidate: usize = 0;
      let found = false;
      while (true) {
        at = next;
        const here = nextSlot;
        next = at + (misses++ >> 5);
        if (next > limit) break;
        nextSlot = slot(load<u64>(next), shift);
        candidate = base + <usize>load<u16>(TABLE + here);
        store<u16>(TABLE + here, <u16>(at - base));
        if (load<u32>(at) == load<u32>(candidate)) {
          found = true;
          break;
        }
      }
      if (!found) break;
      out = literal(out, pending, <u32>(at - pending));
      // Copies for as long as the position right after one starts another match.
      while (true) {
        const length = 4 + matchLength(candidate + 4, at + 4, end);
        out = copy(out, <u32>(at - candidate), length);
        at += length;
        pending = at;
        if (at >= limit) {
          more = false;
          break;
        }
        store<u16>(TABLE + slot(load<u64>(at - 1), shift), <u16>(at - 1 - base));
        const word = load<u32>(at);
        const here = slot(load<u64>(at), shift);
        candidate = base + <usize>load<u16>(TABLE + here);
        store<u16>(TABLE + here, <u16>(at - base));
        if (word != load<u32>(candidate)) break;
      }
      if (!more) break;
      at += 1;
      nextSlot = slot(load<u64>(at), shift);
    }
  }
  if (pending < end) out = literal(out, pending, <u32>(end - pending));
  return out;
}

/**
 * Compresses the `length` bytes at `input` to `output` (room for `32 + length + length / 6` bytes, plus the
 * 16 described above); returns the compressed size.
 */
export function compress(input: usize, length: u32, output: usize): u32 {
  let out = output;
  let rest = length;
  while (rest >= 0x80) {
    store<u8>(out, <u8>((rest & 0x7f) | 0x80));
    out += 1;
    rest >>= 7;
  }
  store<u8>(out, <u8>rest);
  out += 1;
  for (let start: u32 = 0; start < length; start += BLOCK_BYTES) {
    out = block(input + start, min(BLOCK_BYTES, length - start), out);
  }
  return <u32>(out - output);
}
