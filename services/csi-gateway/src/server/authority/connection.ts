import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { Http2AuthorityFix } from './frames.js';

/**
 * A client connection as the HTTP/2 server should see it: bytes from the client pass through Http2AuthorityFix,
 * bytes to the client go out unchanged. Flow control follows the server: when it stops reading, the socket pauses.
 */
export class AuthorityFixingConnection extends Duplex {
  private readonly fix = new Http2AuthorityFix();

  constructor(private readonly socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => {
      const out = this.fix.push(chunk);
      if (out.length > 0 && !this.push(out)) socket.pause();
    });
    socket.once('end', () => this.push(null));
    socket.once('error', (err) => this.destroy(err));
    socket.once('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
