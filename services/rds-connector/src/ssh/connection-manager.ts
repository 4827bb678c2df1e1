import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { RdsCsiError, type ConnectionState, type ConnectionStateName } from '@rds-csi/contracts';
import type { BackoffPolicy } from '@rds-csi/bus';
import { ChannelLimiter } from './channel-limiter.js';
import { RECONNECT_BACKOFF, ReconnectSchedule } from './backoff.js';
import { LinkTimeoutError } from './errors.js';
import { HEALTH_COMMAND, HealthCheck, type HealthCheckOptions } from './health-check.js';
import { SshSession, type CommandOutput, type SshTarget } from './session.js';

export interface ConnectionManagerOptions {
  target: SshTarget;
  maxChannels: number;
  logger: Logger;
  healthCheck: HealthCheckOptions;
  /** A connection must stay up this long before a later loss reconnects without backoff. */
  healthyResetMs: number;
  /** Overrides of the reconnect schedule, for tests only. */
  backoff?: BackoffPolicy;
  /** Consecutive command timeouts after which the connection is considered wedged and replaced. */
  timeoutsBeforeReconnect?: number;
}

export interface ConnectionEvents {
  state: [ConnectionState];
  channels: [number];
  /** One connect attempt began, `delayMs` after the previous one ended (the backoff it waited). */
  attempt: [{ attempt: number; delayMs: number }];
  reconnect: [{ outcome: 'success' | 'failure'; durationMs: number }];
  /** The connection stayed up for `healthyResetMs`: the reconnect schedule starts over. */
  healthy: [];
}

/**
 * Owns the one SSH connection to the RDS: connects at start, notices loss (socket events, keepalive, failed health
 * checks, repeated command timeouts), and reconnects in the background forever on the jittered schedule, single
 * flight (the old client is closed first). Commands fail fast with UNAVAILABLE while disconnected.
 */
export class ConnectionManager extends EventEmitter<ConnectionEvents> {
  private session: SshSession | undefined;
  private health: HealthCheck | undefined;
  private healthyTimer: NodeJS.Timeout | undefined;
  private current: ConnectionState;
  private reconnecting: Promise<void> | undefined;
  private readonly limiter: ChannelLimiter;
  private readonly schedule: ReconnectSchedule;
  private readonly abort = new AbortController();
  private consecutiveTimeouts = 0;
  private channelCount = 0;

  constructor(private readonly options: ConnectionManagerOptions) {
    super();
    this.limiter = new ChannelLimiter(options.maxChannels);
    this.schedule = new ReconnectSchedule(options.backoff ?? RECONNECT_BACKOFF);
    const now = new Date().toISOString();
    this.current = { state: 'disconnected', since: now, at: now, attempt: 0, address: options.target.host };
  }

  get state(): ConnectionState {
    return { ...this.current, at: new Date().toISOString() };
  }

  get isConnected(): boolean {
    return this.current.state === 'connected' && !!this.session && !this.session.isClosed;
  }

  /** Exec channels requested and not yet closed, on every session (a lost session's count drops with it). */
  get openChannels(): number {
    return this.channelCount;
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
    this.dropSession();
    await this.reconnecting;
    this.setState('disconnected', 0, 'shut down');
  }

  /** A wedged connection (commands time out while the socket looks alive) is replaced, not trusted forever. */
  private noteFailure(session: SshSession, err: unknown): void {
    if (!(err instanceof LinkTimeoutError)) return;
    this.consecutiveTimeouts++;
    if (this.consecutiveTimeouts >= (this.options.timeoutsBeforeReconnect ?? 2)) {
      this.consecutiveTimeouts = 0;
      this.connectionLost(session, 'commands timed out repeatedly');
    }
  }

  private connectionLost(session: SshSession, reason: string): void {
    if (session !== this.session) return;
    this.dropSession();
    this.limiter.rejectAll(new RdsCsiError('UNAVAILABLE', `RDS connection lost: ${reason}`));
    this.options.logger.warn({ reason }, 'RDS connection lost: replacing it');
    this.setState('disconnected', this.schedule.attempts, reason);
    this.ensureReconnecting();
  }

  private dropSession(): void {
    clearTimeout(this.healthyTimer);
    this.health?.stop();
    this.health = undefined;
    this.session?.close();
    this.session = undefined;
  }

  private ensureReconnecting(): void {
    if (this.reconnecting || this.abort.signal.aborted) return;
    this.reconnecting = this.reconnectUntilConnected().finally(() => {
      this.reconnecting = undefined;
    });
  }

  /** Never rejects and never gives up: every error of an attempt is logged and followed by the next attempt. */
  private async reconnectUntilConnected(): Promise<void> {
    const began = Date.now();
    while (!this.abort.signal.aborted) {
      const delayMs = this.schedule.nextDelayMs();
      const attempt = this.schedule.attempts;
      if (delayMs > 0) {
        const waited = await sleep(delayMs, true, { signal: this.abort.signal }).catch(() => false);
        if (!waited) return;
      }
      this.emit('attempt', { attempt, delayMs });
      this.setState('connecting', attempt, this.current.lastError);
      try {
        await this.connectOnce();
        this.emit('reconnect', { outcome: 'success', durationMs: Date.now() - began });
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.emit('reconnect', { outcome: 'failure', durationMs: Date.now() - began });
        this.setState('connecting', attempt, message);
        this.options.logger.warn({ attempt, err: message }, 'RDS connect attempt failed');
      }
    }
  }

  private async connectOnce(): Promise<void> {
    this.dropSession();
    const session: SshSession = await SshSession.open(this.options.target, {
      onClose: (reason) => this.connectionLost(session, reason),
      onChannelCountChange: (delta) => {
        this.channelCount += delta;
        this.emit('channels', this.channelCount);
      },
    });
    try {
      // Logged in is not ready: an RDS whose SSH server answers but whose commands hang must not look connected.
      await session.exec(HEALTH_COMMAND, this.options.healthCheck.timeoutMs, 'ready');
    } catch (err) {
      session.close();
      throw err;
    }
    if (this.abort.signal.aborted) return session.close();
    if (session.isClosed) throw new RdsCsiError('UNAVAILABLE', 'RDS closed the connection right after login');
    this.session = session;
    this.consecutiveTimeouts = 0;
    this.health = new HealthCheck(session, this.options.healthCheck, (reason) =>
      this.connectionLost(session, reason),
    );
    this.health.start();
    this.healthyTimer = setTimeout(() => {
      this.schedule.healthy();
      this.emit('healthy');
    }, this.options.healthyResetMs);
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
