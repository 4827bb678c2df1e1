import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RdsCsiError } from '@rds-csi/contracts';
import { DEFAULT_METRICS_PORT, configFromEnv, loadKubeConfig } from '../src/index.js';

describe('configFromEnv', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rdscsi-nw-config-'));
  after(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://k8s.example:6443\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: secret\n',
  );

  function failure(env: NodeJS.ProcessEnv): RdsCsiError {
    try {
      configFromEnv(env);
    } catch (err) {
      assert.ok(err instanceof RdsCsiError);
      assert.equal(err.code, 'INVALID_ARGUMENT');
      return err;
    }
    assert.fail(`accepted ${JSON.stringify(env)}`);
  }

  it('applies defaults', () => {
    const config = configFromEnv({ KUBECONFIG: kubeconfig });
    assert.equal(config.kubeconfigPath, kubeconfig);
    assert.equal(config.silentWatchMs, 300_000);
    assert.equal(config.metricsPort, DEFAULT_METRICS_PORT);
    assert.deepEqual(config.bus.servers, ['nats://127.0.0.1:4222']);
    assert.equal(config.bus.name, 'node-watcher');
  });

  it('reads every variable', () => {
    const config = configFromEnv({
      KUBECONFIG: kubeconfig,
      NODE_WATCHER_SILENT_WATCH_SECONDS: '90',
      METRICS_PORT: '0',
      NATS_URL: 'nats://a:4222,nats://b:4222',
      RDSCSI_SUBJECT_PREFIX: 'other',
    });
    assert.equal(config.silentWatchMs, 90_000);
    assert.equal(config.metricsPort, 0);
    assert.deepEqual(config.bus.servers, ['nats://a:4222', 'nats://b:4222']);
    assert.equal(config.bus.prefix, 'other');
  });

  it('uses the service account in a pod', () => {
    assert.equal(
      configFromEnv({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBECONFIG: '' }).kubeconfigPath,
      undefined,
    );
  });

  it('names the variable that is wrong', () => {
    assert.match(
      failure({ KUBECONFIG: kubeconfig, NODE_WATCHER_SILENT_WATCH_SECONDS: 'soon' }).message,
      /NODE_WATCHER_SILENT_WATCH_SECONDS must be a number/,
    );
    assert.match(
      failure({ KUBECONFIG: kubeconfig, NODE_WATCHER_SILENT_WATCH_SECONDS: '0' }).message,
      /at least 1/,
    );
    assert.match(
      failure({ KUBECONFIG: kubeconfig, NODE_WATCHER_SILENT_WATCH_SECONDS: '1.5' }).message,
      /integer/,
    );
    assert.match(
      failure({ KUBECONFIG: kubeconfig, METRICS_PORT: '70000' }).message,
      /METRICS_PORT must be at most 65535/,
    );
    assert.match(failure({}).message, /KUBECONFIG/);
    assert.match(failure({ KUBECONFIG: join(dir, 'missing') }).message, /not readable/);
    assert.match(failure({ KUBECONFIG: kubeconfig, NATS_REPLICAS: 'three' }).message, /NATS_REPLICAS/);
  });

  it('loads the kubeconfig file and refuses a broken one', async () => {
    assert.equal(loadKubeConfig(kubeconfig).getCurrentCluster()?.server, 'https://k8s.example:6443');
    const broken = join(dir, 'broken');
    await writeFile(broken, 'clusters: [');
    assert.throws(
      () => loadKubeConfig(broken),
      (err: unknown) => err instanceof RdsCsiError && err.code === 'INVALID_ARGUMENT',
    );
    const empty = join(dir, 'empty');
    await writeFile(empty, 'apiVersion: v1\nkind: Config\n');
    assert.throws(() => loadKubeConfig(empty), /no current cluster/);
  });
});
