import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { RdsCsiError, type ConnectionState, type ConnectionStateName } from '@rds-csi/contracts';
import { ChannelLimiter } from './channel-limiter.js';
import { jitterMs, type BackoffPolicy } from '@rds-csi/bus';
import { RECONNECT_BACKOFF, RECONNECT_FACTOR } from './backoff.js';
import { SshSession, type CommandOutput, type SshTarget } from './session.js';

export interface ConnectionManagerOptions {
  target: SshTarget;
  maxChannels: number;
  logger: Logger;
  /** Overrides of the reconnect schedule, for tests only. */
  backoff?: BackoffPolicy;
  /** Consecutive command timeouts after which the connection is considered wedged and replaced. */
  timeoutsBeforeReconnect?: number;
}

export interface ConnectionEvents {
  state: [ConnectionState];
  channels: [number];
  reconnect: [{ outcome: 'success' | 'failure'; durationMs: number }];
}

/**
 * Owns the one SSH connection to the RDS: connects at start, notices loss (socket events, keepalive), reconnects in
 * the background forever on a jittered exponential schedule (single flight; the old client is closed first), and
 * fails commands fast with UNAVAILABLE while disconnected instead of making them wait for the reconnect.
 */
export class ConnectionManager extends EventEmitter<ConnectionEvents> {
  private session: SshSession | undefined;
  private current: ConnectionState;
  private reconnecting: Promise<void> | undefined;
  private readonly limiter: ChannelLimiter;
  private readonly abort = new AbortController();
  private consecutiveTimeouts = 0;

  constructor(private readonly options: ConnectionManagerOptions) {
    super();
    this.limiter = new ChannelLimiter(options.maxChannels);
    const now = new Date().toISOString();
    this.current = { state: 'disconnected', since: now, at: now, attempt: 0, address: options.target.host };
  }

  get state(): ConnectionState {
    return { ...this.current, at: new Date().toISOString() };
  }

  get isConnected(): boolean {
    return this.current.state === 'connected' && !!this.session && !this.session.isClosed;
  }

  get openChannels(): number {
    return this.session?.openChannels ?? 0;
  }

  get queuedCommands(): number {
    return this.limiter.queued;
  }

  /** Starts connecting in the background; resolves at once. */
  start(): void {
    this.ensureReconnecting();
  }

  /** Runs one command line, bounded by `deadline` (epoch ms) and the per-command timeout. */
  async exec(command: string, deadline: number, commandTimeoutMs: number): Promise<CommandOutput> {
    const session = this.session;
    if (!session || session.isClosed || this.current.state !== 'connected') {
      throw new RdsCsiError(
        'UNAVAILABLE',
        `RDS is not connected (${this.current.state}${this.current.lastError ? `: ${this.current.lastError}` : ''})`,
      );
    }
    const release = await this.limiter.acquire(deadline);
    try {
      const timeout = Math.min(commandTimeoutMs, deadline - Date.now());
      if (timeout <= 0)
        throw new RdsCsiError('UNAVAILABLE', 'deadline passed before the RDS command was sent');
      const output = await session.exec(command, timeout);
      this.consecutiveTimeouts = 0;
      return output;
    } catch (err) {
      this.noteFailure(session, err);
      throw err;
    } finally {
      release();
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.limiter.rejectAll(new RdsCsiError('UNAVAILABLE', 'rds-connector is shutting down'));
    this.session?.close();
    this.session = undefined;
    await this.reconnecting?.catch(() => undefined);
    this.setState('disconnected', 0, 'shut down');
  }

  /** A wedged connection (commands time out while the socket looks alive) is replaced, not trusted forever. */
  private noteFailure(session: SshSession, err: unknown): void {
    if (!(err instanceof RdsCsiError) || !/timed out/.test(err.message)) return;
    this.consecutiveTimeouts++;
    if (this.consecutiveTimeouts >= (this.options.timeoutsBeforeReconnect ?? 2) && session === this.session) {
      this.options.logger.warn(
        { timeouts: this.consecutiveTimeouts },
        'RDS commands keep timing out: replacing the SSH connection',
      );
      this.consecutiveTimeouts = 0;
      this.connectionLost(session, 'commands timed out repeatedly');
    }
  }

  private connectionLost(session: SshSession, reason: string): void {
    if (session !== this.session) return;
    this.session = undefined;
    session.close();
    this.limiter.rejectAll(new RdsCsiError('UNAVAILABLE', `RDS connection lost: ${reason}`));
    this.options.logger.warn({ reason }, 'RDS connection lost');
    this.setState('disconnected', 0, reason);
    this.ensureReconnecting();
  }

  private ensureReconnecting(): void {
    if (this.reconnecting || this.abort.signal.aborted) return;
    this.reconnecting = this.reconnectForever().finally(() => {
      this.reconnecting = undefined;
    });
  }

  private async reconnectForever(): Promise<void> {
    const backoff = this.options.backoff ?? RECONNECT_BACKOFF;
    let attempt = 0;
    const began = Date.now();
    try {
      await pRetry(
        async () => {
          attempt++;
          this.setState('connecting', attempt, this.current.lastError);
          await this.connectOnce();
        },
        {
          retries: Number.POSITIVE_INFINITY,
          factor: RECONNECT_FACTOR,
          minTimeout: backoff.minMs,
          maxTimeout: backoff.maxMs,
          randomize: false,
          signal: this.abort.signal,
          unref: true,
          onFailedAttempt: async ({ error, retryDelay }) => {
            this.emit('reconnect', { outcome: 'failure', durationMs: Date.now() - began });
            this.setState('connecting', attempt, error.message);
            this.options.logger.warn(
              { attempt, err: error.message, retryInMs: retryDelay },
              'RDS connect attempt failed',
            );
            // p-retry waits the exponential delay; the 10-30 % jitter is added here, before that wait.
            await sleep(jitterMs(retryDelay), undefined, { signal: this.abort.signal, ref: false });
          },
        },
      );
      this.emit('reconnect', { outcome: 'success', durationMs: Date.now() - began });
    } catch (err) {
      if (!this.abort.signal.aborted) this.options.logger.error({ err }, 'reconnect loop ended unexpectedly');
    }
  }

  private async connectOnce(): Promise<void> {
    this.session?.close();
    this.session = undefined;
    const session = await SshSession.open(this.options.target, {
      onClose: (reason) => this.connectionLost(session, reason),
      onChannelCountChange: () => this.emit('channels', this.openChannels),
    });
    if (this.abort.signal.aborted) {
      session.close();
      return;
    }
    this.session = session;
    this.consecutiveTimeouts = 0;
    this.setState('connected', 0);
    this.options.logger.info(
      { host: this.current.address, port: this.options.target.port },
      'connected to RDS',
    );
  }

  private setState(state: ConnectionStateName, attempt: number, lastError?: string): void {
    const changed = state !== this.current.state;
    const now = new Date().toISOString();
    this.current = {
      state,
      since: changed ? now : this.current.since,
      at: now,
      attempt,
      address: this.current.address,
      ...(lastError ? { lastError } : {}),
    };
    this.emit('state', this.current);
  }
}
