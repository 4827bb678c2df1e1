import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpoints, RdsCsiError, type Volume } from '@rds-csi/contracts';
import { rejectionOf, startNatsServer, waitFor, type NatsServerHandle } from '@rds-csi/testkit';
import { connectTestBus } from '../src/testing.js';
import { handle, startService, type Bus, type EndpointHandler, type ServiceLimits } from '../src/index.js';

const volumeOf = (n: number): Volume => {
  const id = `pvc-${String(n).padStart(8, '0')}-2222-3333-4444-555555555555`;
  return {
    id,
    filePath: `/storage-pool/metal-csi/${id}.img`,
    sizeBytes: 1 << 30,
    nqn: `nqn.2000-02.com.mikrotik:${id}`,
    nvmeTcpPort: 4420,
    exported: true,
  };
};

/** A request the handler holds until the test releases it. */
function heldHandler() {
  const releases: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const handler: EndpointHandler = handle(endpoints.volumeGet, async (req) => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((resolve) => releases.push(resolve));
    running--;
    return volumeOf(Number(req.id.slice(4, 12)));
  });
  return {
    handler,
    started: () => releases.length,
    maxRunning: () => maxRunning,
    releaseAll: () => releases.splice(0).forEach((release) => release()),
  };
}

const decodeJson = (data: Uint8Array) =>
  JSON.parse(new TextDecoder().decode(data)) as Record<string, unknown>;

describe('service framework', () => {
  let nats: NatsServerHandle;
  let server: Bus;
  let client: Bus;

  before(async () => {
    nats = await startNatsServer({ jetstream: false });
    server = await connectTestBus(nats.url, 'server');
    client = await connectTestBus(nats.url, 'client');
  });

  after(async () => {
    await client?.close();
    await server?.close();
    await nats?.dispose();
  });

  const start = (handlers: EndpointHandler[], limits?: ServiceLimits) =>
    startService(
      server,
      { name: 'rds-connector', version: '1.2.3', description: 'under test' },
      handlers,
      limits,
    );

  it('answers a reply larger than max_payload with RESOURCE_EXHAUSTED and keeps serving', async () => {
    let count = 6000; // ~1.6 MB of JSON, over the test server's 1 MiB max_payload
    const service = await start([
      handle(endpoints.volumeList, async (_req, ctx) => {
        assert.ok(ctx.maxReplyBytes > 1000 && ctx.maxReplyBytes < 1024 * 1024);
        return { volumes: Array.from({ length: count }, (_, i) => volumeOf(i)) };
      }),
    ]);
    try {
      const err = await rejectionOf(() => client.request(endpoints.volumeList, {}));
      assert.equal(err.code, 'RESOURCE_EXHAUSTED');
      count = 3;
      assert.equal((await client.request(endpoints.volumeList, {})).volumes.length, 3);
    } finally {
      await service.stop();
    }
  });

  it('sets the framework error headers and counts requests and errors in STATS', async () => {
    const service = await start([
      handle(endpoints.volumeGet, async (req) => {
        if (req.id.startsWith('pvc-9')) throw new RdsCsiError('NOT_FOUND', 'no such volume');
        return volumeOf(1);
      }),
    ]);
    try {
      const subject = client.names.subject(endpoints.volumeGet.path);
      const missing = await client.nc.request(subject, JSON.stringify({ v: 1, id: volumeOf(9e7).id }));
      assert.equal(missing.headers?.get('Nats-Service-Error-Code'), '5');
      assert.equal(missing.headers?.get('Nats-Service-Error'), 'no such volume');
      await client.request(endpoints.volumeGet, { id: volumeOf(1).id });
      await client.request(endpoints.volumeGet, { id: volumeOf(2).id });
      const ok = await client.nc.request(subject, JSON.stringify({ v: 1, id: volumeOf(1).id }));
      assert.equal(ok.headers?.get('Nats-Service-Error-Code') ?? '', '');

      const stats = decodeJson((await client.nc.request(`$SRV.STATS.rds-connector.${service.id}`)).data);
      assert.equal(stats.type, 'io.nats.micro.v1.stats_response');
      assert.ok(!Number.isNaN(Date.parse(String(stats.started))));
      const [ep, ...others] = stats.endpoints as Record<string, unknown>[];
      assert.equal(others.length, 0);
      assert.equal(ep?.name, 'volume-get');
      assert.equal(ep?.subject, subject);
      assert.equal(ep?.queue_group, 'q');
      assert.equal(ep?.num_requests, 4);
      assert.equal(ep?.num_errors, 1);
      assert.equal(ep?.last_error, 'NOT_FOUND: no such volume');
      assert.ok(Number(ep?.processing_time) > 0);
      assert.equal(ep?.average_processing_time, Math.round(Number(ep?.processing_time) / 4));
    } finally {
      await service.stop();
    }
  });

  it('answers PING and INFO at every level of the io.nats.micro.v1 discovery subjects', async () => {
    const service = await start([handle(endpoints.volumeGet, async () => volumeOf(1))]);
    try {
      for (const subject of [
        '$SRV.PING',
        '$SRV.PING.rds-connector',
        `$SRV.PING.rds-connector.${service.id}`,
      ]) {
        const ping = decodeJson((await client.nc.request(subject)).data);
        assert.deepEqual(ping, {
          type: 'io.nats.micro.v1.ping_response',
          name: 'rds-connector',
          id: service.id,
          version: '1.2.3',
          metadata: {},
        });
      }
      const info = decodeJson((await client.nc.request(`$SRV.INFO.rds-connector`)).data);
      assert.equal(info.type, 'io.nats.micro.v1.info_response');
      assert.equal(info.description, 'under test');
      assert.deepEqual(info.endpoints, [
        { name: 'volume-get', subject: 'rdscsi.rds.volume.get', queue_group: 'q', metadata: null },
      ]);
    } finally {
      await service.stop();
    }
  });

  it('runs at most maxConcurrent per endpoint, queues up to maxQueued and refuses the rest with UNAVAILABLE', async () => {
    const held = heldHandler();
    const service = await start([held.handler], { maxConcurrent: 2, maxQueued: 1 });
    try {
      const get = (n: number) => client.request(endpoints.volumeGet, { id: volumeOf(n).id });
      const running = [get(1), get(2)];
      await waitFor(() => held.started() === 2);
      const queued = get(3);
      const refused = await rejectionOf(() => get(4));
      assert.equal(refused.code, 'UNAVAILABLE');
      assert.equal(held.started(), 2);
      held.releaseAll();
      await waitFor(() => held.started() === 1);
      held.releaseAll();
      const answered = await Promise.all([...running, queued]);
      assert.deepEqual(
        answered.map((v) => v.id),
        [1, 2, 3].map((n) => volumeOf(n).id),
      );
      assert.equal(held.maxRunning(), 2);
    } finally {
      held.releaseAll();
      await service.stop();
    }
  });

  it('drains on stop: requests in flight and queued are answered, later ones find no responder', async () => {
    const held = heldHandler();
    const service = await start([held.handler], { maxConcurrent: 1, maxQueued: 4 });
    const get = (n: number) => client.request(endpoints.volumeGet, { id: volumeOf(n).id });
    const inFlight = get(1);
    await waitFor(() => held.started() === 1);
    const queued = get(2);
    await client.nc.flush();
    await server.nc.flush(); // the queued request has reached the service before it stops
    let stopped = false;
    const stopping = service.stop().then(() => (stopped = true));
    held.releaseAll();
    await waitFor(() => held.started() === 1);
    assert.equal(stopped, false);
    held.releaseAll();
    await stopping;
    assert.deepEqual(
      (await Promise.all([inFlight, queued])).map((v) => v.id),
      [volumeOf(1).id, volumeOf(2).id],
    );
    assert.equal((await rejectionOf(() => get(3))).code, 'UNAVAILABLE');
  });
});
