import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createMetricsRegistry,
  silentLogger,
  startHealthServer,
  type HealthServer,
  type ReadinessCheck,
} from '../src/index.js';

let live = true;
let readiness: ReadinessCheck = { ready: false, reason: 'not connected to NATS' };
let server: HealthServer;

before(async () => {
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    registry: createMetricsRegistry('svc'),
    logger: silentLogger(),
    live: () => live,
    ready: () => readiness,
  });
});
after(() => server.close());

const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

test('/healthz answers 200 while live and 503 once the process says it is wedged', async () => {
  live = true;
  assert.equal((await get('/healthz')).status, 200);
  live = false;
  const response = await get('/healthz');
  assert.equal(response.status, 503);
  assert.equal(await response.text(), 'not live\n');
  live = true;
});

test('/readyz answers 503 with the reason until ready, then 200', async () => {
  readiness = { ready: false, reason: 'not connected to NATS' };
  const notReady = await get('/readyz');
  assert.equal(notReady.status, 503);
  assert.deepEqual(await notReady.json(), readiness);
  readiness = { ready: true };
  const ready = await get('/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { ready: true });
});

test('/metrics serves the registry and an unknown path is 404', async () => {
  const metrics = await get('/metrics?x=1');
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /service="svc"/);
  assert.equal((await get('/nope')).status, 404);
});
