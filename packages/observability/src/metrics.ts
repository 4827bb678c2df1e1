import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

export { Registry, Counter, Gauge, Histogram } from 'prom-client';

/** Every metric the project exports starts with this. */
export const METRIC_PREFIX = 'rdscsi_';

/** A registry per service (never the global one), with process metrics and a `service` label on everything. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}

/** Buckets for operations from ~1 ms to a minute: RPCs, SSH commands, reconcile passes. */
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The metric `name` of the registry, created by `create` on first use: a process that starts a component again on
 * the same registry (a reconnect, a restarted service in tests or the local stack) reuses it instead of failing.
 */
export function metricOnce<M extends Metric>(
  registry: Registry,
  name: string,
  create: (registers: Registry[]) => M,
): M {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- only this function registers `name`, always with an M from `create`.
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
