import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, gatewayConfigFromEnv } from '../src/index.js';

test('configuration from the environment, with defaults', () => {
  const config = gatewayConfigFromEnv({ NATS_URL: 'nats://nats:4222' });
  assert.equal(config.mode, 'controller');
  assert.equal(config.endpoint, 'unix:///csi/csi.sock');
  assert.equal(config.driverName, 'rds.csi.srvlab.io');
  assert.equal(config.metricsPort, 9811);
  assert.equal(config.rdsStaleAfterMs, 15_000);
  assert.equal(config.controller.defaultVolumeSizeBytes, 1024 ** 3);
  assert.equal(config.controller.alphaCapabilities, false, 'alpha capabilities are off unless turned on');
  assert.deepEqual(config.bus.servers, ['nats://nats:4222']);

  const custom = gatewayConfigFromEnv({
    CSI_MODE: 'node',
    CSI_ENDPOINT: 'tcp://0.0.0.0:10000',
    CSI_DRIVER_NAME: 'rds.example.org',
    METRICS_PORT: 'off',
    RDS_HEARTBEAT_INTERVAL_MS: '1000',
    CSI_TOPOLOGY_ZONE: 'zone-a',
    CSI_RDS_ADDRESS: '10.0.0.1',
    CSI_DEFAULT_VOLUME_SIZE_BYTES: String(1024 ** 2 + 1),
    CSI_ALPHA_CAPABILITIES: 'true',
  });
  assert.equal(custom.controller.alphaCapabilities, true);
  assert.equal(custom.mode, 'node');
  assert.equal(custom.metricsPort, null);
  assert.equal(custom.rdsStaleAfterMs, 3_000);
  assert.equal(custom.controller.defaultVolumeSizeBytes, 2 * 1024 ** 2, 'rounded up to whole MiB');
});

test('bad configuration fails with a message naming the setting', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ CSI_MODE: 'both' }, /mode/],
    [{ CSI_ENDPOINT: '/csi/csi.sock' }, /endpoint/],
    [{ CSI_DRIVER_NAME: '-bad-' }, /driverName/],
    [{ METRICS_PORT: 'ninety' }, /METRICS_PORT/],
    [{ CSI_TOPOLOGY_ZONE: 'a zone' }, /topologyZone/],
    [{ CSI_RDS_ADDRESS: '10.0.0.1; rm' }, /rdsAddress/],
    [{ NATS_REPLICAS: 'x' }, /NATS_REPLICAS/],
    [{ CSI_ALPHA_CAPABILITIES: 'yes' }, /CSI_ALPHA_CAPABILITIES/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => gatewayConfigFromEnv(env),
      (err: Error) => err instanceof ConfigError && message.test(err.message),
      JSON.stringify(env),
    );
  }
});
