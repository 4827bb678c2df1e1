import { decodeHuffman } from './huffman.js';

/** Names of the HPACK static table (RFC 7541, Appendix A), index 1 to 61. */
const STATIC_NAMES = [
  ':authority',
  ':method',
  ':method',
  ':path',
  ':path',
  ':scheme',
  ':scheme',
  ':status',
  ':status',
  ':status',
  ':status',
  ':status',
  ':status',
  ':status',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'accept-ranges',
  'accept',
  'access-control-allow-origin',
  'age',
  'allow',
  'authorization',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-range',
  'content-type',
  'cookie',
  'date',
  'etag',
  'expect',
  'expires',
  'from',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'last-modified',
  'link',
  'location',
  'max-forwards',
  'proxy-authenticate',
  'proxy-authorization',
  'range',
  'referer',
  'refresh',
  'retry-after',
  'server',
  'set-cookie',
  'strict-transport-security',
  'transfer-encoding',
  'user-agent',
  'vary',
  'via',
  'www-authenticate',
];
const ENTRY_OVERHEAD = 32;
const DEFAULT_TABLE_SIZE = 4096;

/** Bytes nghttp2 accepts in an :authority (RFC 3986 authority characters). */
const AUTHORITY_BYTE = /[A-Za-z0-9\-._~!$&'()*+,;=:@%[\]]/;

/**
 * An :authority with bytes nghttp2 refuses (a unix socket path has '/') becomes the same number of bytes with each
 * such byte replaced by '_'. Keeping the length keeps the HPACK dynamic table sizes of client and server equal, so
 * every later reference into the table still means the same entry.
 */
export function sanitizeAuthority(value: Buffer): Buffer | undefined {
  if ([...value].every((b) => AUTHORITY_BYTE.test(String.fromCharCode(b)))) return undefined;
  return Buffer.from([...value].map((b) => (AUTHORITY_BYTE.test(String.fromCharCode(b)) ? b : 0x5f)));
}

class Reader {
  constructor(
    private readonly data: Buffer,
    public offset = 0,
  ) {}

  get done(): boolean {
    return this.offset >= this.data.length;
  }

  peek(): number {
    return this.byte(this.offset);
  }

  integer(prefixBits: number): number {
    const max = 2 ** prefixBits - 1;
    let value = this.byte(this.offset++) & max;
    if (value < max) return value;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte(this.offset++);
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
      if (shift > 28) throw new Error('HPACK integer too large');
    }
  }

  string(): Buffer {
    const huffman = (this.peek() & 0x80) !== 0;
    const length = this.integer(7);
    if (this.offset + length > this.data.length) throw new Error('HPACK string overruns the block');
    const raw = this.data.subarray(this.offset, (this.offset += length));
    return huffman ? decodeHuffman(raw) : Buffer.from(raw);
  }

  slice(from: number): Buffer {
    return this.data.subarray(from, this.offset);
  }

  private byte(at: number): number {
    const b = this.data[at];
    if (b === undefined) throw new Error('HPACK block ends mid-field');
    return b;
  }
}

export function encodeInteger(value: number, prefixBits: number, firstByteFlags: number): Buffer {
  const max = 2 ** prefixBits - 1;
  if (value < max) return Buffer.from([firstByteFlags | value]);
  const bytes = [firstByteFlags | max];
  let rest = value - max;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/**
 * Follows the client's HPACK dynamic table (names and sizes) across the header blocks of one connection and
 * rewrites literal :authority fields that nghttp2 would reject. Everything else is copied byte for byte.
 */
export class AuthorityRewriter {
  private entries: { name: string; size: number }[] = [];
  private size = 0;
  private maxSize = DEFAULT_TABLE_SIZE;

  rewriteBlock(block: Buffer): Buffer {
    const reader = new Reader(block);
    const parts: Buffer[] = [];
    while (!reader.done) {
      const start = reader.offset;
      const first = reader.peek();
      if (first & 0x80) {
        reader.integer(7); // indexed field: refers to an entry already in both tables
      } else if ((first & 0xe0) === 0x20) {
        this.resize(reader.integer(5));
      } else {
        const indexing = (first & 0xc0) === 0x40;
        const prefixBits = indexing ? 6 : 4;
        const nameIndex = reader.integer(prefixBits);
        const name = nameIndex === 0 ? reader.string().toString('latin1') : this.nameAt(nameIndex);
        const nameRepresentation = reader.slice(start);
        const value = reader.string();
        if (indexing) this.insert(name, value.length);
        const replacement = name === ':authority' ? sanitizeAuthority(value) : undefined;
        if (replacement) {
          // The value goes out as a plain (not Huffman-coded) string literal.
          parts.push(nameRepresentation, encodeInteger(replacement.length, 7, 0), replacement);
          continue;
        }
      }
      parts.push(reader.slice(start));
    }
    return Buffer.concat(parts);
  }

  private nameAt(index: number): string {
    const name =
      index <= STATIC_NAMES.length
        ? STATIC_NAMES[index - 1]
        : this.entries[index - STATIC_NAMES.length - 1]?.name;
    if (name === undefined) throw new Error(`HPACK index ${index} is not in the table`);
    return name;
  }

  private insert(name: string, valueLength: number): void {
    const size = name.length + valueLength + ENTRY_OVERHEAD;
    this.entries.unshift({ name, size });
    this.size += size;
    this.evict();
  }

  private resize(maxSize: number): void {
    this.maxSize = maxSize;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize) this.size -= this.entries.pop()?.size ?? this.size;
  }
}
