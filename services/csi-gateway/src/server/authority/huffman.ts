/**
 * HPACK Huffman decoding (RFC 7541, Appendix B). The code is canonical, so the bit length of each of the 257
 * symbols (0-255, then EOS) defines it completely; the codes are assigned in order of (length, symbol).
 */
const CODE_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28,
  28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7,
  8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19,
  13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13,
  28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21,
  22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23,
  22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25,
  25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
];
const EOS = 256;

/** Canonical codes: `${length}:${code}` -> symbol. */
function buildDecodeTable(): Map<string, number> {
  const symbols = CODE_LENGTHS.map((length, symbol) => ({ length, symbol })).sort(
    (a, b) => a.length - b.length || a.symbol - b.symbol,
  );
  const table = new Map<string, number>();
  let code = 0;
  let previousLength = symbols[0]!.length;
  for (const [i, { length, symbol }] of symbols.entries()) {
    if (i > 0) code = (code + 1) * 2 ** (length - previousLength);
    previousLength = length;
    table.set(`${length}:${code}`, symbol);
  }
  return table;
}

const DECODE = buildDecodeTable();

/** The canonical code of a symbol, for tests against the RFC's table. */
export function huffmanCode(symbol: number): { code: number; length: number } {
  for (const [key, value] of DECODE) {
    if (value === symbol) {
      const [length, code] = key.split(':').map(Number);
      return { code: code!, length: length! };
    }
  }
  throw new Error(`no code for symbol ${symbol}`);
}

/** Decodes a Huffman-coded HPACK string; padding must be at most 7 one-bits (the EOS prefix), as RFC 7541 demands. */
export function decodeHuffman(data: Uint8Array): Buffer {
  const out: number[] = [];
  let code = 0;
  let length = 0;
  for (const byte of data) {
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1);
      length++;
      const symbol = DECODE.get(`${length}:${code}`);
      if (symbol === EOS) throw new Error('EOS inside a Huffman-coded string');
      if (symbol !== undefined) {
        out.push(symbol);
        code = 0;
        length = 0;
      } else if (length > 30) {
        throw new Error('invalid Huffman code');
      }
    }
  }
  if (length > 7 || code !== 2 ** length - 1) throw new Error('invalid Huffman padding');
  return Buffer.from(out);
}
