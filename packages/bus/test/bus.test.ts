import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { headers as natsHeaders } from '@nats-io/nats-core';
import {
  DEADLINE_HEADER,
  TIMEOUT_HEADER,
  endpoints,
  NodeEvent,
  RdsCsiError,
  type Volume,
} from '@rds-csi/contracts';
import { rejectionOf, startNatsServer, waitFor, type NatsServerHandle } from '@rds-csi/testkit';
import { connectTestBus } from '../src/testing.js';
import { ensureKv, ensureStream, handle, startService, type Bus, type RunningService } from '../src/index.js';

const volume: Volume = {
  id: 'pvc-11111111-2222-3333-4444-555555555555',
  filePath: '/storage-pool/metal-csi/pvc-11111111-2222-3333-4444-555555555555.img',
  sizeBytes: 1 << 30,
  nqn: 'nqn.2000-02.com.mikrotik:pvc-11111111-2222-3333-4444-555555555555',
  nvmeTcpPort: 4420,
  exported: true,
};

describe('bus', () => {
  let nats: NatsServerHandle;
  let server: Bus;
  let client: Bus;
  let service: RunningService;
  const seenDeadlines: number[] = [];

  before(async () => {
    nats = await startNatsServer();
    server = await connectTestBus(nats.url, 'server');
    client = await connectTestBus(nats.url, 'client');
    service = await startService(server, { name: 'rds-connector', version: '0.0.1', description: 'test' }, [
      handle(endpoints.volumeGet, async (req, ctx) => {
        seenDeadlines.push(ctx.deadline);
        if (req.id === 'pvc-missing') throw new RdsCsiError('NOT_FOUND', 'no such volume');
        if (req.id === 'pvc-boom') throw new Error('unexpected bug');
        return { ...volume, id: req.id };
      }),
    ]);
  });

  after(async () => {
    await service?.stop();
    await client?.close();
    await server?.close();
    await nats?.dispose();
  });

  it('returns a validated result and propagates the deadline', async () => {
    const sent = Date.now();
    const deadline = sent + 5_000;
    const result = await client.request(endpoints.volumeGet, { id: volume.id }, { deadline });
    assert.deepEqual(result, volume);
    // The budget is relative: the handler's deadline is the same 5 s counted from when it received the request.
    const seen = seenDeadlines.at(-1) ?? 0;
    assert.ok(seen >= deadline && seen <= deadline + (Date.now() - sent), `${seen} vs ${deadline}`);
  });

  const rawRequest = (headerValues: Record<string, string>) => {
    const hdrs = natsHeaders();
    for (const [name, value] of Object.entries(headerValues)) hdrs.set(name, value);
    return client.nc.request(
      client.names.subject(endpoints.volumeGet.path),
      new TextEncoder().encode(JSON.stringify({ id: volume.id })),
      { headers: hdrs, timeout: 5_000 },
    );
  };

  it('counts the budget on its own clock, whatever absolute deadline a skewed sender also sent', async () => {
    const before = Date.now();
    await rawRequest({ [TIMEOUT_HEADER]: '60000', [DEADLINE_HEADER]: String(before - 3_600_000) });
    const seen = seenDeadlines.at(-1) ?? 0;
    assert.ok(seen >= before + 60_000 && seen <= Date.now() + 60_000, `${seen}`);
  });

  it('still honours the absolute deadline header of an older sender', async () => {
    const deadline = Date.now() + 7_000;
    await rawRequest({ [DEADLINE_HEADER]: String(deadline) });
    assert.equal(seenDeadlines.at(-1), deadline);
  });

  it('carries the remote error code', async () => {
    const err = await rejectionOf(() => client.request(endpoints.volumeGet, { id: 'pvc-missing' }));
    assert.ok(err instanceof RdsCsiError);
    assert.equal(err.code, 'NOT_FOUND');
  });

  it('turns an unexpected handler failure into INTERNAL without crashing the service', async () => {
    const err = await rejectionOf(() => client.request(endpoints.volumeGet, { id: 'pvc-boom' }));
    assert.equal(err.code, 'INTERNAL');
    const ok = await client.request(endpoints.volumeGet, { id: volume.id });
    assert.equal(ok.id, volume.id);
  });

  it('rejects malformed requests with INVALID_ARGUMENT', async () => {
    for (const raw of ['not json', '[]', '{"id":"../etc/passwd"}', '{"v":99,"id":"pvc-a"}', '{}']) {
      const reply = await client.nc.request(
        client.names.subject(endpoints.volumeGet.path),
        new TextEncoder().encode(raw),
      );
      const body = JSON.parse(new TextDecoder().decode(reply.data)) as { error?: { code: string } };
      assert.equal(body.error?.code, 'INVALID_ARGUMENT', raw);
      assert.equal(reply.headers?.get('Nats-Service-Error-Code'), '3');
    }
  });

  it('fails fast with UNAVAILABLE when nobody answers', async () => {
    const err = await rejectionOf(() => client.request(endpoints.attachList, {}));
    assert.equal(err.code, 'UNAVAILABLE');
  });

  it('refuses a deadline that already passed', async () => {
    const err = await rejectionOf(() =>
      client.request(endpoints.volumeGet, { id: volume.id }, { deadline: Date.now() - 1 }),
    );
    assert.equal(err.code, 'DEADLINE_EXCEEDED');
  });

  it('answers the NATS services framework discovery verbs', async () => {
    const decode = async (subject: string) =>
      JSON.parse(new TextDecoder().decode((await client.nc.request(subject)).data)) as Record<
        string,
        unknown
      >;
    const ping = await decode('$SRV.PING.rds-connector');
    assert.equal(ping.type, 'io.nats.micro.v1.ping_response');
    assert.equal(ping.id, service.id);
    const info = await decode(`$SRV.INFO.rds-connector.${service.id}`);
    assert.deepEqual(
      (info.endpoints as { subject: string }[]).map((e) => e.subject),
      ['rdscsi.rds.volume.get'],
    );
    const stats = await decode('$SRV.STATS');
    const ep = (stats.endpoints as { num_requests: number; num_errors: number }[])[0];
    assert.ok(ep && ep.num_requests >= 5 && ep.num_errors >= 2, JSON.stringify(ep));
  });

  it('drops malformed published messages and keeps delivering good ones', async () => {
    const seen: string[] = [];
    const unsubscribe = client.subscribe('rdscsi.test.events', NodeEvent, (e) => {
      seen.push(e.node);
    });
    await client.nc.flush(); // the subscription is registered at the server before anything is published
    server.nc.publish('rdscsi.test.events', new TextEncoder().encode('{"kind":"ready"}'));
    server.nc.publish('rdscsi.test.events', new TextEncoder().encode('garbage'));
    server.publish('rdscsi.test.events', {
      v: 1,
      kind: 'ready',
      node: 'node-a',
      at: new Date().toISOString(),
    });
    await waitFor(() => seen.length === 1);
    assert.deepEqual(seen, ['node-a']);
    unsubscribe();
  });

  it('provisions KV buckets and streams idempotently', async () => {
    const kv1 = await ensureKv(server, { bucket: 'test_bucket', description: 'test' });
    await kv1.put('k', 'v1');
    const kv2 = await ensureKv(client, { bucket: 'test_bucket', description: 'test' });
    assert.equal((await kv2.get('k'))?.string(), 'v1');
    const spec = {
      name: 'TEST_EVENTS',
      subjects: ['rdscsi.testev.>'],
      description: 'test',
      maxAgeMs: 60_000,
    };
    await ensureStream(server, spec);
    const jsm = await ensureStream(client, { ...spec, subjects: ['rdscsi.testev.>', 'rdscsi.testev2.>'] });
    const info = await jsm.streams.info('TEST_EVENTS');
    assert.deepEqual(info.config.subjects, ['rdscsi.testev.>', 'rdscsi.testev2.>']);
  });

  it('reconnects after NATS restarts', async () => {
    await nats.restart();
    await waitFor(
      async () =>
        (await client.request(endpoints.volumeGet, { id: volume.id }, { deadline: Date.now() + 1000 })).id,
      {
        message: 'request after NATS restart',
      },
    );
    assert.ok(client.isConnected());
  });
});
