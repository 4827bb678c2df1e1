import { connect as tcpConnect, type Socket } from 'node:net';
import { Client, type ClientChannel } from 'ssh2';
import { RdsCsiError } from '@rds-csi/contracts';
import { hostKeyMatches, fingerprintOf, type HostKeyPin } from './host-key.js';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** Private key (PEM/OpenSSH); never logged. */
  privateKey: Buffer | string;
  /** Undefined only when the operator explicitly opted in to accepting any host key. */
  hostKeyPin: HostKeyPin | undefined;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  signal: string | undefined;
}

/** Output beyond this is cut: a listing of thousands of disks fits, a runaway stream does not eat memory. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** Opens a TCP socket with TCP_NODELAY: RouterOS replies are small, and Nagle + delayed ACK would add ~40 ms each. */
function openSocket(target: SshTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: target.host, port: target.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RdsCsiError('UNAVAILABLE', `TCP connect to ${target.host}:${target.port} timed out`));
    }, target.connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(
        new RdsCsiError('UNAVAILABLE', `cannot reach RDS at ${target.host}:${target.port}: ${err.message}`, {
          cause: err,
        }),
      );
    });
  });
}

/**
 * One authenticated SSH connection to the RDS. Each command runs on its own exec channel; `onClose` fires once
 * when the connection is lost for any reason (socket error, keepalive timeout, server close).
 */
export class SshSession {
  private closed = false;
  private openChannelCount = 0;

  private constructor(
    private readonly client: Client,
    private readonly onChannelCountChange: (delta: number) => void,
  ) {}

  get openChannels(): number {
    return this.openChannelCount;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  static async open(
    target: SshTarget,
    hooks: { onClose: (reason: string) => void; onChannelCountChange: (delta: number) => void },
  ): Promise<SshSession> {
    const socket = await openSocket(target);
    const client = new Client();
    const session = new SshSession(client, hooks.onChannelCountChange);
    let hostKeyError: RdsCsiError | undefined;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        client.end();
        socket.destroy();
        reject(
          hostKeyError ??
            new RdsCsiError('UNAVAILABLE', `SSH connection to RDS failed: ${err.message}`, { cause: err }),
        );
      };
      client.once('ready', () => {
        client.removeListener('error', fail);
        resolve();
      });
      client.once('error', fail);
      client.connect({
        sock: socket,
        username: target.username,
        privateKey: target.privateKey,
        readyTimeout: target.connectTimeoutMs,
        keepaliveInterval: target.keepaliveIntervalMs,
        keepaliveCountMax: target.keepaliveCountMax,
        hostVerifier: (key: Buffer) => {
          if (!target.hostKeyPin || hostKeyMatches(target.hostKeyPin, key)) return true;
          hostKeyError = new RdsCsiError(
            'FAILED_PRECONDITION',
            `RDS host key mismatch: server presented ${fingerprintOf(key)}, which does not match the pinned key; refusing to connect`,
          );
          return false;
        },
      });
    });
    const lost = (reason: string): void => {
      if (session.closed) return;
      session.closed = true;
      hooks.onClose(reason);
    };
    client.on('error', (err) => lost(`SSH error: ${err.message}`));
    client.on('close', () => lost('SSH connection closed'));
    client.on('end', () => lost('SSH connection ended by the RDS'));
    return session;
  }

  /**
   * Runs one command line on a new exec channel. Rejects with UNAVAILABLE when the channel cannot be opened, the
   * connection drops, or `timeoutMs` passes (the channel is then closed so it cannot leak).
   */
  exec(command: string, timeoutMs: number): Promise<CommandOutput> {
    if (this.closed) return Promise.reject(new RdsCsiError('UNAVAILABLE', 'RDS SSH connection is closed'));
    return new Promise((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | undefined;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => {
        finish(() => reject(new RdsCsiError('UNAVAILABLE', `RDS command timed out after ${timeoutMs} ms`)));
        channel?.close();
      }, timeoutMs);
      this.client.exec(command, (err, stream) => {
        if (err)
          return finish(() =>
            reject(new RdsCsiError('UNAVAILABLE', `cannot open SSH channel: ${err.message}`, { cause: err })),
          );
        this.track(stream);
        if (settled) {
          stream.close();
          return;
        }
        channel = stream;
        this.collect(stream, (output) =>
          finish(() =>
            output.exitCode === undefined && output.signal === undefined
              ? reject(
                  new RdsCsiError(
                    'UNAVAILABLE',
                    'SSH channel closed without an exit status: connection lost mid-command',
                  ),
                )
              : resolve(output),
          ),
        );
      });
    });
  }

  private track(stream: ClientChannel): void {
    this.openChannelCount++;
    this.onChannelCountChange(1);
    stream.once('close', () => {
      this.openChannelCount--;
      this.onChannelCountChange(-1);
    });
  }

  private collect(stream: ClientChannel, done: (output: CommandOutput) => void): void {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT_BYTES) into.push(chunk);
    };
    let exitCode: number | undefined;
    let signal: string | undefined;
    stream.on('data', keep(out));
    stream.stderr.on('data', keep(err));
    stream.on('exit', (code: number | null, sig?: string) => {
      exitCode = code ?? undefined;
      signal = sig ?? undefined;
    });
    stream.once('close', () => {
      done({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode,
        signal,
      });
    });
  }

  close(): void {
    this.closed = true;
    this.client.end();
    this.client.destroy();
  }
}
