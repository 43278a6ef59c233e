// UTF-8 helpers shared by the AssemblyScript modules in this folder (compiled into each one that imports them).

/** Writes the code point `code` as UTF-8 at `out`; returns where it ends. */
@inline
export function storeUtf8(out: usize, code: u32): usize {
  if (code < 0x80) {
    store<u8>(out, <u8>code);
    return out + 1;
  }
  if (code < 0x800) {
    store<u8>(out, <u8>(0xc0 | (code >> 6)));
    store<u8>(out + 1, <u8>(0x80 | (code & 0x3f)));
    return out + 2;
  }
  if (code < 0x10000) {
    store<u8>(out, <u8>(0xe0 | (code >> 12)));
    store<u8>(out + 1, <u8>(0x80 | ((code >> 6) & 0x3f)));
    store<u8>(out + 2, <u8>(0x80 | (code & 0x3f)));
    return out + 3;
  }
  store<u8>(out, <u8>(0xf0 | (code >> 18)));
  store<u8>(out + 1, <u8>(0x80 | ((code >> 12) & 0x3f)));
  store<u8>(out + 2, <u8>(0x80 | ((code >> 6) & 0x3f)));
  store<u8>(out + 3, <u8>(0x80 | (code & 0x3f)));
  return out + 4;
}
