import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { RdsSimulator, generateKeyPair } from '@rds-csi/rds-simulator';
import { freePort, startNatsServer, waitFor } from '@rds-csi/testkit';
import { startConnector } from '../src/index.js';
import { connectorConfig } from './support.js';

/** A logger whose lines the test can read. */
function capturingLogger(): { logger: pino.Logger; messages: string[] } {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        messages.push((JSON.parse(line) as { msg: string }).msg);
      }
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), messages };
}

describe('rds-connector with NATS unreachable at start (finding 13)', () => {
  it('answers /healthz and /readyz (not ready, with the reason) and logs the wait, then starts once NATS is up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-nats-down-'));
    const keys = generateKeyPair();
    const nats = await startNatsServer();
    await nats.stop();
    const sim = await RdsSimulator.start({ dataDir: join(dir, 'rds'), authorizedKeys: [keys.publicKey] });
    const { logger, messages } = capturingLogger();
    const metricsPort = await freePort();
    const starting = startConnector(
      { ...connectorConfig(nats.url, sim, keys.privateKey), metricsPort },
      { logger },
    );
    let started = false;
    try {
      const base = `http://127.0.0.1:${metricsPort}`;
      const live = await waitFor(() => fetch(`${base}/healthz`), { message: '/healthz answers' });
      assert.equal(live.status, 200);
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), { ready: false, reason: 'waiting for NATS' });
      assert.ok(messages.includes('waiting for NATS'), 'the wait is logged');
      await nats.start();
      await starting;
      started = true;
      await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, {
        message: 'ready with NATS',
      });
    } finally {
      if (!started) await nats.start().catch(() => undefined);
      await (await starting.catch(() => undefined))?.stop().catch(() => undefined);
      await sim.stop();
      await nats.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
