import { Counter, Gauge, Histogram, DURATION_BUCKETS, type Registry } from '@rds-csi/observability';

export type ConnectorMetrics = ReturnType<typeof connectorMetrics>;

export function connectorMetrics(registry: Registry) {
  const registers = [registry];
  return {
    connectionState: new Gauge({
      name: 'rdscsi_rds_connection_state',
      help: '1 for the current RDS connection state (connected, connecting, disconnected), 0 for the others',
      labelNames: ['state'] as const,
      registers,
    }),
    reconnectAttempts: new Counter({
      name: 'rdscsi_rds_reconnect_attempts_total',
      help: 'RDS SSH connect attempts by outcome',
      labelNames: ['outcome'] as const,
      registers,
    }),
    reconnectDuration: new Histogram({
      name: 'rdscsi_rds_reconnect_duration_seconds',
      help: 'Time from connection loss (or start) to a working SSH connection',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers,
    }),
    commandDuration: new Histogram({
      name: 'rdscsi_rds_command_duration_seconds',
      help: 'RouterOS command round trips by command and outcome',
      labelNames: ['command', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    commandsInFlight: new Gauge({
      name: 'rdscsi_rds_commands_in_flight',
      help: 'RouterOS commands sent and not yet answered',
      registers,
    }),
    openChannels: new Gauge({
      name: 'rdscsi_rds_ssh_open_channels',
      help: 'Open SSH exec channels (should return to 0 when idle; growth means a leak)',
      registers,
    }),
  };
}
