import {
  Counter,
  DURATION_BUCKETS,
  Gauge,
  Histogram,
  METRIC_PREFIX,
  type Registry,
} from '@rds-csi/observability';
import type { CommandOutcome, NodeTool } from './exec.js';

export interface NodeMetrics {
  command: (command: NodeTool, outcome: CommandOutcome, durationMs: number) => void;
  breakerTripped(): void;
  orphansDisconnected(count: number): void;
}

/**
 * Node-mode metrics on the service's registry; `openBreakers` is sampled at scrape time. Node RPCs by method and
 * outcome are counted by the request pipeline (rdscsi_csi_rpc_total{service="Node"}), so they are not repeated here.
 */
export function createNodeMetrics(registry: Registry, openBreakers: () => number): NodeMetrics {
  const registers = [registry];
  const commands = new Histogram({
    name: `${METRIC_PREFIX}node_command_duration_seconds`,
    help: 'External commands run by the node plugin (nvme, blkid, mkfs, mount, ...) by command and outcome',
    labelNames: ['command', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const trips = new Counter({
    name: `${METRIC_PREFIX}node_volume_breaker_trips_total`,
    help: 'Times a volume circuit breaker opened after consecutive failures',
    registers,
  });
  new Gauge({
    name: `${METRIC_PREFIX}node_volume_breakers_open`,
    help: 'Volumes whose circuit breaker is open (failing fast)',
    registers,
    collect() {
      this.set(openBreakers());
    },
  });
  const orphans = new Counter({
    name: `${METRIC_PREFIX}node_orphan_controllers_disconnected_total`,
    help: 'Managed NVMe subsystems without a block device disconnected at start-up',
    registers,
  });
  return {
    command: (command, outcome, durationMs) => commands.observe({ command, outcome }, durationMs / 1000),
    breakerTripped: () => trips.inc(),
    orphansDisconnected: (count) => orphans.inc(count),
  };
}
