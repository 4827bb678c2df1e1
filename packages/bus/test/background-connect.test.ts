import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMetricsRegistry, silentLogger } from '@rds-csi/observability';
import { startNatsServer } from '@rds-csi/testkit';
import { Bus, parseBusConfig } from '../src/index.js';

const deps = () => ({ logger: silentLogger(), registry: createMetricsRegistry('test') });

describe('connecting in the background', () => {
  it('keeps trying while NATS is down and resolves once it is up', async () => {
    const nats = await startNatsServer();
    await nats.stop();
    const config = parseBusConfig({ servers: [nats.url], name: 'late' });
    try {
      let connected: Bus | undefined;
      const pending = Bus.connectInBackground(config, deps(), new AbortController().signal).then(
        (bus) => (connected = bus),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(connected, undefined, 'no NATS yet');
      await nats.start();
      const bus = await pending;
      assert.ok(bus?.isConnected());
      await bus?.close();
    } finally {
      await nats.dispose();
    }
  });

  it('gives up when aborted, leaving nothing running', async () => {
    const nats = await startNatsServer();
    await nats.dispose();
    const abort = new AbortController();
    const pending = Bus.connectInBackground(
      parseBusConfig({ servers: [nats.url], name: 'never' }),
      deps(),
      abort.signal,
    );
    abort.abort();
    assert.equal(await pending, undefined);
  });
});
