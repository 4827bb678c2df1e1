/** SSH- and TCP-level misbehaviour of the RDS, for the connector's fault-injection tests. */
import type { Socket } from 'node:net';

export type LinkFault =
  /** TCP accepted, then reset before the SSH banner. */
  | 'reset-before-banner'
  /** TCP accepted, then closed (FIN) before the banner: an accept-then-drop storm when clients retry. */
  | 'drop-after-accept'
  /** The SSH banner, then a close (FIN) instead of the key exchange. */
  | 'banner-then-fin'
  /** The SSH banner, then a reset. */
  | 'banner-then-rst'
  /** Login succeeds, then the server ends the connection at once. */
  | 'close-after-login';

const BANNER = 'SSH-2.0-ROSSSH\r\n';

export class LinkFaults {
  private fault: LinkFault | undefined;
  /** When each TCP connection was accepted (epoch ms), faulty or not: one per client connect attempt. */
  readonly acceptedAt: number[] = [];
  /** When each login succeeded (recorded before `close-after-login` drops it). */
  readonly loginAt: number[] = [];

  /** Switches a fault on (it applies to new connections), or off with `undefined`. */
  set(fault: LinkFault | undefined): void {
    this.fault = fault;
  }

  get active(): LinkFault | undefined {
    return this.fault;
  }

  /** Applies a socket-level fault to a new connection; true when it took the socket (no SSH server for it). */
  takeSocket(socket: Socket): boolean {
    this.acceptedAt.push(Date.now());
    const fault = this.fault;
    if (fault === undefined || fault === 'close-after-login') return false;
    socket.on('error', () => undefined); // the client's reaction (often a reset) is expected
    socket.resume(); // the client's banner and key exchange are read and ignored
    // Reset once the client sent its identification: its SSH layer, not only the socket, then sees the reset,
    // and ssh2 reports it twice (the crash of finding 1 when only one 'error' is listened to).
    if (fault === 'reset-before-banner') socket.once('data', () => socket.resetAndDestroy());
    else if (fault === 'drop-after-accept') socket.end();
    else socket.write(BANNER, () => (fault === 'banner-then-fin' ? socket.end() : socket.resetAndDestroy()));
    return true;
  }

  /** Counts a login; true when the connection must be ended at once (`close-after-login`). */
  takeLogin(): boolean {
    this.loginAt.push(Date.now());
    return this.fault === 'close-after-login';
  }
}
