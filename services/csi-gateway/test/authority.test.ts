import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHuffman, huffmanCode } from '../src/server/authority/huffman.js';
import { AuthorityRewriter, encodeInteger, sanitizeAuthority } from '../src/server/authority/hpack.js';
import { Http2AuthorityFix } from '../src/server/authority/frames.js';

/** Huffman-encodes with the canonical codes, for inputs shaped like a real client's. */
function huffman(text: string): Buffer {
  let bits = '';
  for (const byte of Buffer.from(text, 'latin1')) {
    const { code, length } = huffmanCode(byte);
    bits += code.toString(2).padStart(length, '0');
  }
  bits += '1'.repeat((8 - (bits.length % 8)) % 8);
  return Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
}

const literal = (value: string, opts: { huffman?: boolean } = {}): Buffer => {
  const bytes = opts.huffman ? huffman(value) : Buffer.from(value, 'latin1');
  return Buffer.concat([encodeInteger(bytes.length, 7, opts.huffman ? 0x80 : 0), bytes]);
};

test('the canonical Huffman codes are those of RFC 7541 Appendix B', () => {
  const rfc: [number, number, number][] = [
    [0, 0x1ff8, 13],
    [32, 0x14, 6],
    [47, 0x18, 6],
    [48, 0x0, 5],
    [97, 0x3, 5],
    [116, 0x9, 5],
    [126, 0x1ffd, 13],
    [127, 0xffffffc, 28],
    [195, 0x7fff1, 19],
    [255, 0x3ffffee, 26],
    [256, 0x3fffffff, 30],
  ];
  for (const [symbol, code, length] of rfc)
    assert.deepEqual(huffmanCode(symbol), { code, length }, `symbol ${symbol}`);
  // RFC 7541 C.4.1: "www.example.com"
  assert.equal(decodeHuffman(Buffer.from('f1e3c2e5f23a6ba0ab90f4ff', 'hex')).toString(), 'www.example.com');
  assert.throws(() => decodeHuffman(Buffer.from([0x00])), /padding/);
});

test('sanitizeAuthority keeps valid authorities and maps a socket path to the same length', () => {
  assert.equal(sanitizeAuthority(Buffer.from('localhost:8080')), undefined);
  assert.equal(sanitizeAuthority(Buffer.from('[::1]:443')), undefined);
  assert.equal(
    sanitizeAuthority(Buffer.from('/var/lib/kubelet/plugins/rds/csi.sock'))?.toString(),
    '_var_lib_kubelet_plugins_rds_csi.sock',
  );
});

test('the HPACK rewriter replaces :authority literals and follows the dynamic table across blocks', () => {
  const rewriter = new AuthorityRewriter();
  // :authority (static name 1) with incremental indexing, Huffman-coded; :method POST; a custom header, indexed.
  const first = Buffer.concat([
    Buffer.from([0x41]),
    literal('/csi/csi.sock', { huffman: true }),
    Buffer.from([0x83, 0x40]),
    literal('x-a'),
    literal('1'),
  ]);
  assert.deepEqual(
    rewriter.rewriteBlock(first),
    Buffer.concat([
      Buffer.from([0x41]),
      literal('_csi_csi.sock'),
      Buffer.from([0x83, 0x40]),
      literal('x-a'),
      literal('1'),
    ]),
  );
  // Index 63 is now :authority (62 is x-a): a literal without indexing naming it is rewritten too; references pass.
  const second = Buffer.concat([
    Buffer.from([0xbe, 0xbf]),
    encodeInteger(63, 4, 0x00),
    literal('/other.sock'),
  ]);
  assert.deepEqual(
    rewriter.rewriteBlock(second),
    Buffer.concat([Buffer.from([0xbe, 0xbf]), encodeInteger(63, 4, 0x00), literal('_other.sock')]),
  );
  // Never-indexed literal with a literal :authority name; valid values are left byte for byte.
  const third = Buffer.concat([
    Buffer.from([0x10]),
    literal(':authority'),
    literal('/x'),
    Buffer.from([0x10]),
    literal(':authority'),
    literal('ok', { huffman: true }),
  ]);
  assert.deepEqual(
    rewriter.rewriteBlock(third),
    Buffer.concat([
      Buffer.from([0x10]),
      literal(':authority'),
      literal('_x'),
      Buffer.from([0x10]),
      literal(':authority'),
      literal('ok', { huffman: true }),
    ]),
  );
  // A table size update to 0 empties the table: index 62 no longer exists.
  assert.throws(
    () => rewriter.rewriteBlock(Buffer.concat([Buffer.from([0x20]), encodeInteger(62, 4, 0), literal('v')])),
    /not in the table/,
  );
});

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(stream, 5);
  return Buffer.concat([header, payload]);
}

test('HTTP/2 frames: padded HEADERS with CONTINUATION become one rewritten HEADERS; other frames pass untouched', () => {
  const settings = frame(0x4, 0, 0, Buffer.from([0, 3, 0, 0, 0, 100]));
  const block = Buffer.concat([Buffer.from([0x41]), literal('/csi.sock'), Buffer.from([0x83])]);
  const priority = Buffer.from([0, 0, 0, 0, 15]);
  const headers = frame(
    0x1,
    0x8 | 0x20,
    1,
    Buffer.concat([Buffer.from([2]), priority, block.subarray(0, 4), Buffer.alloc(2)]),
  );
  const continuation = frame(0x9, 0x4, 1, block.subarray(4));
  const data = frame(0x0, 0x1, 1, Buffer.from([0, 0, 0, 0, 0]));
  const input = Buffer.concat([PREFACE, settings, headers, continuation, data]);
  const rewrittenBlock = Buffer.concat([Buffer.from([0x41]), literal('_csi.sock'), Buffer.from([0x83])]);
  const expected = Buffer.concat([
    PREFACE,
    settings,
    frame(0x1, 0x20 | 0x4, 1, Buffer.concat([priority, rewrittenBlock])),
    data,
  ]);

  assert.deepEqual(new Http2AuthorityFix().push(input), expected);
  const byteByByte = new Http2AuthorityFix();
  assert.deepEqual(Buffer.concat([...input].map((b) => byteByByte.push(Buffer.from([b])))), expected);
});

test('HTTP/2 frames: a large block is cut into frames of at most 16 KiB; garbage switches to pass-through', () => {
  const big = Buffer.concat([
    Buffer.from([0x41]),
    literal('/s.sock'),
    Buffer.from([0x40]),
    literal('x-big'),
    literal('v'.repeat(40_000)),
  ]);
  const out = new Http2AuthorityFix().push(Buffer.concat([PREFACE, frame(0x1, 0x4, 3, big)]));
  const frames: { type: number; flags: number; length: number }[] = [];
  for (let offset = PREFACE.length; offset < out.length;) {
    const length = out.readUIntBE(offset, 3);
    frames.push({ type: out[offset + 3]!, flags: out[offset + 4]!, length });
    offset += 9 + length;
  }
  assert.deepEqual(
    frames.map((f) => f.type),
    [0x1, 0x9, 0x9],
  );
  assert.deepEqual(
    frames.map((f) => f.flags & 0x4),
    [0, 0, 0x4],
  );
  assert.ok(frames.every((f) => f.length <= 16_384));

  const garbage = Buffer.concat([PREFACE, frame(0x1, 0x4, 1, Buffer.from([0x7f, 0xff]))]);
  const fix = new Http2AuthorityFix();
  assert.deepEqual(fix.push(garbage), garbage);
  const later = frame(0x1, 0x4, 3, Buffer.concat([Buffer.from([0x41]), literal('/a')]));
  assert.deepEqual(fix.push(later), later, 'pass-through for the rest of the connection');
});
