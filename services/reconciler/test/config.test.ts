import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configFromEnv, parseReconcilerConfig } from '../src/index.js';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('configuration', () => {
  it('has production defaults', () => {
    const { reconciler, bus } = configFromEnv({});
    assert.equal(reconciler.notReadyGraceMs, 30_000);
    assert.equal(reconciler.periodMs, 300_000);
    assert.equal(reconciler.defaultMigrationTimeoutSeconds, 300);
    assert.equal(reconciler.consumerName, 'reconciler');
    assert.equal(reconciler.metricsPort, 9813);
    assert.equal(reconciler.storageFence, true, 'the storage fence is on unless turned off');
    assert.equal(configFromEnv({ RDSCSI_STORAGE_FENCE: 'off' }).reconciler.storageFence, false);
    assert.equal(reconciler.kubernetes.kubeconfigPath, undefined);
    assert.equal(
      reconciler.kubernetes.inCluster,
      false,
      'no Kubernetes Events outside a cluster without KUBECONFIG',
    );
    assert.equal(reconciler.kubernetes.eventNamespace, 'default');
    assert.equal(bus.name, 'reconciler');
  });

  it('reads every variable, treating empty ones as unset', () => {
    const { reconciler } = configFromEnv({
      RECONCILER_NOT_READY_GRACE_SECONDS: '45',
      RECONCILER_PERIOD_SECONDS: '60',
      RECONCILER_MIGRATION_TIMEOUT_SECONDS: '600',
      RECONCILER_NODE_SNAPSHOT_TIMEOUT_MS: '2000',
      RECONCILER_RETRY_MIN_MS: '200',
      RECONCILER_RETRY_MAX_MS: '4000',
      RECONCILER_CONSUMER_NAME: 'reconciler-b',
      RECONCILER_EVENT_NAMESPACE: 'kube-system',
      KUBECONFIG: '/etc/kube/config',
      METRICS_PORT: '',
    });
    assert.equal(reconciler.notReadyGraceMs, 45_000);
    assert.equal(reconciler.periodMs, 60_000);
    assert.equal(reconciler.defaultMigrationTimeoutSeconds, 600);
    assert.equal(reconciler.nodeSnapshotTimeoutMs, 2000);
    assert.equal(reconciler.retryMinMs, 200);
    assert.equal(reconciler.retryMaxMs, 4000);
    assert.equal(reconciler.consumerName, 'reconciler-b');
    assert.deepEqual(reconciler.kubernetes, {
      kubeconfigPath: '/etc/kube/config',
      inCluster: false,
      eventNamespace: 'kube-system',
    });
    assert.equal(reconciler.metricsPort, 9813);
    assert.equal(
      configFromEnv({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }).reconciler.kubernetes.inCluster,
      true,
    );
  });

  it('refuses bad values with INVALID_ARGUMENT naming the variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ RECONCILER_NOT_READY_GRACE_SECONDS: 'soon' }, /RECONCILER_NOT_READY_GRACE_SECONDS/],
      [{ RECONCILER_NOT_READY_GRACE_SECONDS: '-1' }, /RECONCILER_NOT_READY_GRACE_SECONDS/],
      [{ RECONCILER_PERIOD_SECONDS: '0' }, /RECONCILER_PERIOD_SECONDS/],
      [{ RECONCILER_MIGRATION_TIMEOUT_SECONDS: '10' }, /RECONCILER_MIGRATION_TIMEOUT_SECONDS/],
      [{ RECONCILER_CONSUMER_NAME: 'a.b' }, /consumerName/],
      [{ RECONCILER_RETRY_MIN_MS: '5000', RECONCILER_RETRY_MAX_MS: '1000' }, /retryMaxMs/],
      [{ METRICS_PORT: '70000' }, /METRICS_PORT/],
      [{ NATS_REPLICAS: 'three' }, /NATS_REPLICAS/],
      [{ RDSCSI_STORAGE_FENCE: 'no' }, /RDSCSI_STORAGE_FENCE/],
    ];
    for (const [env, pattern] of cases) {
      const err = errorOf(() => configFromEnv(env));
      assert.equal(err.code, 'INVALID_ARGUMENT', JSON.stringify(env));
      assert.match(err.message, pattern);
    }
  });

  it('gives startReconciler callers the same defaults', () => {
    const config = parseReconcilerConfig({ notReadyGraceMs: 1000 });
    assert.equal(config.notReadyGraceMs, 1000);
    assert.equal(config.periodMs, 300_000);
    assert.equal(config.metricsPort, undefined, 'no HTTP server unless asked for');
    assert.equal(errorOf(() => parseReconcilerConfig({ periodMs: -5 })).code, 'INVALID_ARGUMENT');
  });
});
