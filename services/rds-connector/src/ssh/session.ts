import { connect as tcpConnect, type Socket } from 'node:net';
import { Client, type ClientChannel } from 'ssh2';
import { RdsCsiError, errorMessage } from '@rds-csi/contracts';
import { LinkTimeoutError, type LinkPhase } from './errors.js';
import { hostKeyMatches, fingerprintOf, type HostKeyPin } from './host-key.js';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** Private key (PEM/OpenSSH); never logged. */
  privateKey: Buffer | string;
  /** Undefined only when the operator explicitly opted in to accepting any host key. */
  hostKeyPin: HostKeyPin | undefined;
  /** Deadline of each connect phase (TCP connect, banner, key exchange, auth up to ready), not of all together. */
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  signal: string | undefined;
  /** The output exceeded the read limit and was cut: it must never be parsed as complete. */
  truncated: boolean;
}

export interface SessionHooks {
  onClose: (reason: string) => void;
  onChannelCountChange: (delta: number) => void;
}

/** Output beyond this is cut: a listing of thousands of disks fits, a runaway stream does not eat memory. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** Starts the SSH protocol on a connected socket; a host key that does not match the pin fails the connect. */
function connectClient(
  client: Client,
  socket: Socket,
  target: SshTarget,
  fail: (err: RdsCsiError) => void,
): void {
  client.connect({
    sock: socket,
    username: target.username,
    privateKey: target.privateKey,
    readyTimeout: 0, // the connect phases carry the deadlines
    keepaliveInterval: target.keepaliveIntervalMs,
    keepaliveCountMax: target.keepaliveCountMax,
    hostVerifier: (key: Buffer) => {
      if (!target.hostKeyPin || hostKeyMatches(target.hostKeyPin, key)) return true;
      fail(
        new RdsCsiError(
          'FAILED_PRECONDITION',
          `RDS host key mismatch: server presented ${fingerprintOf(key)}, which does not match the pinned key; refusing to connect`,
        ),
      );
      return false;
    },
  });
}

/**
 * One authenticated SSH connection to the RDS. Each command runs on its own exec channel; `onClose` fires exactly
 * once when the connection is lost for any reason. Every socket and client event (ssh2 may emit `error` more than
 * once, or only `end`/`close`) is listened to for the connection's whole life and funnels into one settle.
 */
export class SshSession {
  private closed = false;
  private readonly channels = new Set<() => void>();

  private constructor(
    private readonly client: Client,
    private readonly socket: Socket,
    private readonly hooks: SessionHooks,
  ) {}

  get openChannels(): number {
    return this.channels.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Connects and authenticates; each phase has its own deadline (`connectTimeoutMs`). */
  static open(target: SshTarget, hooks: SessionHooks): Promise<SshSession> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: target.host, port: target.port, noDelay: true });
      const client = new Client();
      let session: SshSession | undefined;
      let phase: LinkPhase = 'tcp-connect';
      let failure: RdsCsiError | undefined;
      let timer: NodeJS.Timeout | undefined;
      const enter = (next: LinkPhase): void => {
        phase = next;
        clearTimeout(timer);
        timer = setTimeout(
          () => lost(new LinkTimeoutError(phase, target.connectTimeoutMs)),
          target.connectTimeoutMs,
        );
      };
      const lost = (cause: string | RdsCsiError): void => {
        if (session) return session.lose(typeof cause === 'string' ? cause : cause.message);
        if (failure) return;
        clearTimeout(timer);
        failure =
          typeof cause === 'string'
            ? new RdsCsiError('UNAVAILABLE', `RDS connection failed during ${phase}: ${cause}`)
            : cause;
        client.destroy();
        socket.destroy();
        reject(failure);
      };
      enter('tcp-connect');
      socket.on('error', (err) => lost(`socket error: ${err.message}`));
      socket.on('close', () => lost('socket closed'));
      socket.once('connect', () => {
        enter('banner');
        socket.once('data', () => enter('key-exchange'));
        try {
          connectClient(client, socket, target, lost);
        } catch (err) {
          lost(
            new RdsCsiError('INVALID_ARGUMENT', `cannot start SSH: ${errorMessage(err)}`, {
              cause: err,
            }),
          );
        }
      });
      client.on('handshake', () => enter('auth'));
      client.on('error', (err) => lost(`SSH error: ${err.message}`));
      client.on('end', () => lost('SSH connection ended by the RDS'));
      client.on('close', () => lost('SSH connection closed'));
      client.on('ready', () => {
        if (failure) return;
        clearTimeout(timer);
        session = new SshSession(client, socket, hooks);
        resolve(session);
      });
    });
  }

  /**
   * Runs one command line on a new exec channel. Rejects with UNAVAILABLE when the channel cannot be opened or the
   * connection drops, and with a LinkTimeoutError (phase `command` unless told) when `timeoutMs` passes (the channel
   * is then closed so it cannot leak). The channel counts as open from the moment it is requested.
   */
  exec(command: string, timeoutMs: number, phase: LinkPhase = 'command'): Promise<CommandOutput> {
    if (this.closed) return Promise.reject(new RdsCsiError('UNAVAILABLE', 'RDS SSH connection is closed'));
    return new Promise((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | undefined;
      const release = this.reserveChannel(() =>
        finish(() => reject(new RdsCsiError('UNAVAILABLE', 'RDS connection lost mid-command'))),
      );
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => {
        finish(() => reject(new LinkTimeoutError(phase, timeoutMs)));
        channel?.close();
      }, timeoutMs);
      const opened = (err: Error | undefined, stream: ClientChannel): void => {
        if (err) {
          release();
          return finish(() =>
            reject(new RdsCsiError('UNAVAILABLE', `cannot open SSH channel: ${err.message}`, { cause: err })),
          );
        }
        stream.once('close', release);
        if (settled) return void stream.close();
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
      };
      try {
        this.client.exec(command, opened);
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- opened reads no stream when given an error.
        opened(err instanceof Error ? err : new Error(String(err)), undefined as never);
      }
    });
  }

  close(): void {
    this.lose('closed by the connector', false);
  }

  /** Marks the connection lost once: frees every channel, destroys the client, tells the owner (unless it asked). */
  private lose(reason: string, notify = true): void {
    if (this.closed) return;
    this.closed = true;
    for (const abandon of [...this.channels]) abandon();
    this.client.destroy();
    this.socket.destroy();
    if (notify) this.hooks.onClose(reason);
  }

  /** Counts a channel until the returned release runs (or the connection goes, which runs `onLost` too). */
  private reserveChannel(onLost: () => void): () => void {
    const entry = (): void => {
      if (!this.channels.delete(entry)) return;
      this.hooks.onChannelCountChange(-1);
      if (this.closed) onLost();
    };
    this.channels.add(entry);
    this.hooks.onChannelCountChange(1);
    return entry;
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
    stream.on('error', () => undefined); // a channel error is followed by its close, which settles the command
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
        truncated: size > MAX_OUTPUT_BYTES,
      });
    });
  }
}
