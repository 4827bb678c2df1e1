import type { Bus, Unsubscribe } from '@rds-csi/bus';
import { ConnectionState, endpoints } from '@rds-csi/contracts';
import type { Logger } from 'pino';

export interface RdsReadiness {
  ready: boolean;
  reason: string;
}

/**
 * The rds-connector's view of the RDS, as last heard: the connector broadcasts its state on every change and as a
 * heartbeat; the gateway also asks once at start so it need not wait for the first heartbeat. A state heard longer
 * ago than `staleAfterMs` counts as unknown (a dead connector sends nothing), and so does a copy older than one
 * already seen (replies and broadcasts may cross).
 */
export class RdsConnectionTracker {
  private latest: { state: ConnectionState; heardAt: number } | undefined;
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly staleAfterMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.bus.subscribe(this.bus.names.rdsConnection, ConnectionState, (state) =>
      this.heard(state),
    );
    try {
      this.heard(await this.bus.request(endpoints.connectionGet, {}, { deadline: this.now() + 5_000 }));
    } catch (err) {
      this.logger.warn({ err }, 'rds-connector did not tell its connection state; waiting for its broadcast');
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The last state heard, whatever its age (e.g. for the RDS address). */
  get state(): ConnectionState | undefined {
    return this.latest?.state;
  }

  readiness(): RdsReadiness {
    if (!this.latest)
      return { ready: false, reason: 'no RDS connection state heard from the rds-connector yet' };
    const age = this.now() - this.latest.heardAt;
    if (age > this.staleAfterMs)
      return { ready: false, reason: `RDS connection state is stale (last heard ${age} ms ago)` };
    const { state } = this.latest;
    if (state.state !== 'connected') {
      return {
        ready: false,
        reason: `RDS is ${state.state}${state.lastError ? `: ${state.lastError}` : ''}`,
      };
    }
    return { ready: true, reason: 'RDS connected' };
  }

  private heard(state: ConnectionState): void {
    if (this.latest && Date.parse(state.at) < Date.parse(this.latest.state.at)) return;
    if (this.latest?.state.state !== state.state)
      this.logger.info({ rds: state.state, since: state.since }, 'RDS connection state');
    this.latest = { state, heardAt: this.now() };
  }
}
