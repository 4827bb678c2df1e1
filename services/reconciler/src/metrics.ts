import {
  Counter,
  Gauge,
  Histogram,
  DURATION_BUCKETS,
  metricOnce as once,
  type Registry,
} from '@rds-csi/observability';

export type ReconcilerMetrics = ReturnType<typeof reconcilerMetrics>;

export function reconcilerMetrics(registry: Registry) {
  return {
    attachments: once(
      registry,
      'rdscsi_reconciler_attachments',
      (registers) =>
        new Gauge({
          name: 'rdscsi_reconciler_attachments',
          help: 'Attached volumes by access mode',
          labelNames: ['access'] as const,
          registers,
        }),
    ),
    corruptRecords: once(
      registry,
      'rdscsi_reconciler_corrupt_records',
      (registers) =>
        new Gauge({
          name: 'rdscsi_reconciler_corrupt_records',
          help: 'Attachment records that fail validation (they fence their volume)',
          registers,
        }),
    ),
    corruptReads: once(
      registry,
      'rdscsi_reconciler_corrupt_record_reads_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_corrupt_record_reads_total',
          help: 'Reads that met a corrupt attachment record',
          registers,
        }),
    ),
    publishes: once(
      registry,
      'rdscsi_reconciler_publish_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_publish_total',
          help: 'Publish decisions by outcome (OK or error code)',
          labelNames: ['outcome'] as const,
          registers,
        }),
    ),
    unpublishes: once(
      registry,
      'rdscsi_reconciler_unpublish_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_unpublish_total',
          help: 'Unpublish decisions by outcome (OK or error code)',
          labelNames: ['outcome'] as const,
          registers,
        }),
    ),
    orphanVolumes: once(
      registry,
      'rdscsi_reconciler_orphan_volumes',
      (registers) =>
        new Gauge({
          name: 'rdscsi_reconciler_orphan_volumes',
          help: 'Volumes on the RDS that no PersistentVolume references, past the grace period (report only)',
          registers,
        }),
    ),
    storeLosses: once(
      registry,
      'rdscsi_reconciler_store_losses_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_store_losses_total',
          help: 'Times the attachment bucket served was found gone or replaced (each is followed by a re-adoption)',
          registers,
        }),
    ),
    storeServed: once(
      registry,
      'rdscsi_reconciler_store_served',
      (registers) =>
        new Gauge({
          name: 'rdscsi_reconciler_store_served',
          help: '1 while the attachment store is served (adopted, identity current), 0 while it is (re)adopted',
          registers,
        }),
    ),
    casConflicts: once(
      registry,
      'rdscsi_reconciler_cas_conflicts_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_cas_conflicts_total',
          help: 'Compare-and-set writes lost to a concurrent writer (then retried)',
          labelNames: ['operation'] as const,
          registers,
        }),
    ),
    staleCleared: once(
      registry,
      'rdscsi_reconciler_stale_cleared_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_stale_cleared_total',
          help: 'Stale attachments cleared, by reason',
          labelNames: ['reason'] as const,
          registers,
        }),
    ),
    passes: once(
      registry,
      'rdscsi_reconciler_passes_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_passes_total',
          help: 'Reconciliation passes by trigger and outcome (ok, dry-run, unavailable, failed)',
          labelNames: ['trigger', 'outcome'] as const,
          registers,
        }),
    ),
    passDuration: once(
      registry,
      'rdscsi_reconciler_pass_duration_seconds',
      (registers) =>
        new Histogram({
          name: 'rdscsi_reconciler_pass_duration_seconds',
          help: 'Duration of reconciliation passes',
          labelNames: ['trigger'] as const,
          buckets: DURATION_BUCKETS,
          registers,
        }),
    ),
    eventToClearance: once(
      registry,
      'rdscsi_reconciler_event_to_clearance_seconds',
      (registers) =>
        new Histogram({
          name: 'rdscsi_reconciler_event_to_clearance_seconds',
          help: 'Time from a node event to the clearance of its stale attachments (includes the NotReady grace)',
          labelNames: ['reason'] as const,
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
          registers,
        }),
    ),
    nodeEvents: once(
      registry,
      'rdscsi_reconciler_node_events_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_node_events_total',
          help: 'Node events consumed by kind and outcome (handled, malformed, failed)',
          labelNames: ['kind', 'outcome'] as const,
          registers,
        }),
    ),
    overdueMigrations: once(
      registry,
      'rdscsi_reconciler_migrations_overdue',
      (registers) =>
        new Gauge({
          name: 'rdscsi_reconciler_migrations_overdue',
          help: 'Volumes attached to two nodes past their migration deadline (last pass)',
          registers,
        }),
    ),
    kubeEvents: once(
      registry,
      'rdscsi_reconciler_kube_events_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_reconciler_kube_events_total',
          help: 'Kubernetes Events about cleared attachments, by object kind and outcome',
          labelNames: ['object', 'outcome'] as const,
          registers,
        }),
    ),
  };
}
