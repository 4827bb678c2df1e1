import { AuthorityRewriter } from './hpack.js';

const PREFACE_LENGTH = 24;
const FRAME_HEADER_LENGTH = 9;
const HEADERS = 0x1;
const CONTINUATION = 0x9;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
/** SETTINGS_MAX_FRAME_SIZE's initial value: rewritten header blocks are cut into frames no larger. */
const MAX_FRAME_PAYLOAD = 16_384;
const EMPTY = Buffer.alloc(0);

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_LENGTH);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

/**
 * Rewrites the client-to-server bytes of one HTTP/2 connection so that nghttp2 accepts requests whose :authority is
 * a unix socket path (what Go gRPC clients dialing with a custom dialer send). Frames other than HEADERS and
 * CONTINUATION pass untouched; a header block (HEADERS plus its CONTINUATIONs) is collected, rewritten, and sent on
 * as HEADERS (without padding) plus CONTINUATIONs. Anything it cannot parse switches the connection to plain
 * pass-through, so the server sees exactly what the client sent and answers as it would without this layer.
 */
export class Http2AuthorityFix {
  private readonly hpack = new AuthorityRewriter();
  private pending = Buffer.alloc(0);
  private prefaceSeen = false;
  private passThrough = false;
  private block:
    { streamId: number; flags: number; priority: Buffer; fragments: Buffer[]; raw: Buffer[] } | undefined;

  push(chunk: Buffer): Buffer {
    if (this.passThrough) return chunk;
    this.pending = Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    try {
      if (!this.prefaceSeen) {
        if (this.pending.length < PREFACE_LENGTH) return EMPTY;
        out.push(this.pending.subarray(0, PREFACE_LENGTH));
        this.pending = this.pending.subarray(PREFACE_LENGTH);
        this.prefaceSeen = true;
      }
      while (this.pending.length >= FRAME_HEADER_LENGTH) {
        const length = this.pending.readUIntBE(0, 3);
        if (this.pending.length < FRAME_HEADER_LENGTH + length) break;
        const raw = this.pending.subarray(0, FRAME_HEADER_LENGTH + length);
        this.pending = this.pending.subarray(raw.length);
        out.push(this.onFrame(raw));
      }
    } catch {
      this.passThrough = true;
      out.push(this.unsentBlock(), this.pending);
      this.pending = EMPTY;
    }
    return Buffer.concat(out);
  }

  private onFrame(raw: Buffer): Buffer {
    const type = raw[3]!;
    if (type !== HEADERS && !(type === CONTINUATION && this.block)) return raw;
    const flags = raw[4]!;
    const payload = raw.subarray(FRAME_HEADER_LENGTH);
    if (type === HEADERS) {
      this.block = {
        streamId: raw.readUInt32BE(5) & 0x7fffffff,
        flags,
        priority: EMPTY,
        fragments: [],
        raw: [raw],
      };
      let offset = 0;
      let end = payload.length;
      if (flags & PADDED) end -= payload[offset++] ?? 0;
      if (flags & PRIORITY) this.block.priority = payload.subarray(offset, (offset += 5));
      if (end < offset) throw new Error('HEADERS padding exceeds the frame');
      this.block.fragments.push(payload.subarray(offset, end));
    } else {
      this.block!.raw.push(raw);
      this.block!.fragments.push(payload);
    }
    return flags & END_HEADERS ? this.flushBlock() : EMPTY;
  }

  private flushBlock(): Buffer {
    const block = this.block!;
    const rewritten = this.hpack.rewriteBlock(Buffer.concat(block.fragments));
    this.block = undefined;
    const firstPiece = rewritten.subarray(0, MAX_FRAME_PAYLOAD - block.priority.length);
    let rest = rewritten.subarray(firstPiece.length);
    const headersFlags = (block.flags & ~PADDED & ~END_HEADERS) | (rest.length === 0 ? END_HEADERS : 0);
    const frames = [
      frame(HEADERS, headersFlags, block.streamId, Buffer.concat([block.priority, firstPiece])),
    ];
    while (rest.length > 0) {
      const piece = rest.subarray(0, MAX_FRAME_PAYLOAD);
      rest = rest.subarray(piece.length);
      frames.push(frame(CONTINUATION, rest.length === 0 ? END_HEADERS : 0, block.streamId, piece));
    }
    return Buffer.concat(frames);
  }

  /** The frames of a header block not yet sent on, as received, for the switch to pass-through. */
  private unsentBlock(): Buffer {
    const raw = Buffer.concat(this.block?.raw ?? []);
    this.block = undefined;
    return raw;
  }
}
