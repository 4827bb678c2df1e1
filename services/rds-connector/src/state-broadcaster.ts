import { SCHEMA_VERSION, type ConnectionState } from '@rds-csi/contracts';
import type { Bus } from '@rds-csi/bus';

/**
 * Publishes the RDS connection state on every change and as a heartbeat, so gateways can tell "connected" from
 * "connector gone silent" (a stale heartbeat means not ready).
 */
export class StateBroadcaster {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly current: () => ConnectionState,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.publish(this.current());
    this.timer = setInterval(() => this.publish(this.current()), this.intervalMs);
    this.timer.unref();
  }

  publish(state: ConnectionState): void {
    if (this.bus.nc.isClosed()) return;
    this.bus.publish(this.bus.names.rdsConnection, {
      v: SCHEMA_VERSION,
      ...state,
      at: new Date().toISOString(),
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
