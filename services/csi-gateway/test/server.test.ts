import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as http2Connect, constants as h2 } from 'node:http2';
import { spawnSync } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { createCsiClient, csiServices, type GetPluginInfoResponse } from '@rds-csi/csi-spec';
import { silentLogger } from '@rds-csi/observability';
import packageJson from '../package.json' with { type: 'json' };
import { endpoints } from '@rds-csi/contracts';
import { freePort, startNatsServer, waitFor } from '@rds-csi/testkit';
import { DEFAULT_DRIVER_NAME, startGateway } from '../src/index.js';
import { expectCode, mountCapability, pvName, startHarness } from './support/harness.js';

/** Leaves a socket file behind the way a crashed process does: bound, then killed before it could unlink. */
function leaveStaleSocket(path: string): void {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script]);
}

test('the socket is created owner-only (0600), replaces a stale socket, and is removed on shutdown', async (t) => {
  const h = await startHarness(t);
  const info = await lstat(h.socket);
  assert.ok(info.isSocket());
  assert.equal(info.mode & 0o777, 0o600);
  await h.gateway.stop();
  await assert.rejects(lstat(h.socket), /ENOENT/);

  leaveStaleSocket(h.socket);
  assert.ok((await lstat(h.socket)).isSocket(), 'a stale socket is left behind');
  const second = await startGateway({ ...h.gateway.config, metricsPort: null }, { logger: silentLogger() });
  h.defer(() => second.stop());
  const client = createCsiClient(second.address);
  h.defer(() => client.close());
  assert.equal((await client.identity.GetPluginInfo({})).name, DEFAULT_DRIVER_NAME);
  assert.equal((await lstat(h.socket)).mode & 0o777, 0o600);
});

test('a non-socket file at the endpoint path is left alone and start-up fails clearly', async (t) => {
  const h = await startHarness(t);
  const path = join(h.dir, 'not-a-socket', 'csi.sock');
  await mkdir(join(h.dir, 'not-a-socket'));
  await writeFile(path, 'precious');
  await assert.rejects(
    startGateway(
      { ...h.gateway.config, endpoint: `unix://${path}`, metricsPort: null },
      { logger: silentLogger() },
    ),
    /not a socket/,
  );
  assert.ok((await lstat(path)).isFile());
});

test('calls whose HTTP/2 :authority is the socket path (as Go clients send) are served', async (t) => {
  const h = await startHarness(t);
  const viaGrpc = createCsiClient(h.gateway.address, { 'grpc.default_authority': h.socket });
  h.defer(() => viaGrpc.close());
  // Several calls on one connection: later requests refer to the :authority in the HPACK dynamic table.
  for (let i = 0; i < 3; i++)
    assert.equal((await viaGrpc.identity.GetPluginInfo({})).name, DEFAULT_DRIVER_NAME);
  assert.deepEqual(await viaGrpc.identity.Probe({}), { ready: { value: true } });

  // The same with a raw HTTP/2 client, to be sure of what goes on the wire.
  const session = http2Connect('http://localhost', { createConnection: () => netConnect(h.socket) });
  h.defer(() => session.close());
  const stream = session.request({
    [h2.HTTP2_HEADER_METHOD]: 'POST',
    [h2.HTTP2_HEADER_PATH]: '/csi.v1.Identity/GetPluginInfo',
    [h2.HTTP2_HEADER_AUTHORITY]: h.socket,
    [h2.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
    te: 'trailers',
  });
  stream.end(Buffer.from([0, 0, 0, 0, 0]));
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const trailers = await new Promise<Record<string, unknown>>((resolve, reject) => {
    stream.once('trailers', resolve);
    stream.once('error', reject);
  });
  assert.equal(trailers['grpc-status'], '0');
  const body = Buffer.concat(chunks);
  const decoded = csiServices.Identity.GetPluginInfo!.responseDeserialize(
    body.subarray(5),
  ) as GetPluginInfoResponse;
  assert.equal(decoded.name, DEFAULT_DRIVER_NAME);
});

test('Identity: plugin info from config and package, capabilities, Probe', async (t) => {
  const h = await startHarness(t);
  const info = await h.client.identity.GetPluginInfo({});
  assert.deepEqual(info, { name: 'rds.csi.srvlab.io', vendor_version: packageJson.version, manifest: {} });
  const { capabilities } = await h.client.identity.GetPluginCapabilities({});
  assert.deepEqual(capabilities, [
    { service: { type: 'CONTROLLER_SERVICE' }, type: 'service' },
    { volume_expansion: { type: 'ONLINE' }, type: 'volume_expansion' },
  ]);
  assert.deepEqual(await h.client.identity.Probe({}), { ready: { value: true } });
  // A node-mode RPC is not served by a controller.
  await expectCode(h.client.node.NodeGetInfo({}), status.UNIMPLEMENTED);
});

test('driver name and topology zone come from configuration', async (t) => {
  const h = await startHarness(t, { gateway: { driverName: 'rds.example.org', topologyZone: 'rack-1' } });
  assert.equal((await h.client.identity.GetPluginInfo({})).name, 'rds.example.org');
  const { capabilities } = await h.client.identity.GetPluginCapabilities({});
  assert.ok(capabilities.some((c) => c.service?.type === 'VOLUME_ACCESSIBILITY_CONSTRAINTS'));
});

test('a tcp:// endpoint serves the same services (debugging)', async (t) => {
  const h = await startHarness(t);
  const tcp = await startGateway(
    { ...h.gateway.config, endpoint: 'tcp://127.0.0.1:0', metricsPort: null },
    { logger: silentLogger() },
  );
  h.defer(() => tcp.stop());
  assert.match(tcp.address, /^127\.0\.0\.1:\d+$/);
  const client = createCsiClient(tcp.address);
  h.defer(() => client.close());
  assert.deepEqual(await client.identity.Probe({}), { ready: { value: true } });
});

test('secrets and mount flags never reach the log; requests, codes and IDs do', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const h = await startHarness(t, { logger: pino({ level: 'debug' }, sink) });
  await h.client.controller.CreateVolume({
    name: pvName(1),
    volume_capabilities: [
      { ...mountCapability(), mount: { fs_type: 'ext4', mount_flags: ['password=flag-secret'] } },
    ],
    secrets: { password: 'top-secret-value' },
  });
  await expectCode(
    h.client.controller.DeleteVolume({ volume_id: '', secrets: { token: 'another-secret' } }),
    status.INVALID_ARGUMENT,
  );
  const log = lines.join('');
  assert.doesNotMatch(log, /top-secret-value|flag-secret|another-secret/);
  assert.match(log, /"rpc":"CreateVolume"/);
  assert.match(log, new RegExp(pvName(1)));
  assert.match(log, /"code":"INVALID_ARGUMENT"/);
});

test('metrics count RPCs by method and code, with durations', async (t) => {
  const h = await startHarness(t, { gateway: { metricsPort: 0 } });
  await h.client.identity.Probe({});
  await expectCode(h.client.controller.DeleteVolume({}), status.INVALID_ARGUMENT);
  const metrics = await (await fetch(`http://127.0.0.1:${h.gateway.metricsPort}/metrics`)).text();
  assert.match(metrics, /rdscsi_csi_rpc_total\{[^}]*method="Probe"[^}]*code="OK"[^}]*\} 1/);
  assert.match(
    metrics,
    /rdscsi_csi_rpc_total\{[^}]*method="DeleteVolume"[^}]*code="INVALID_ARGUMENT"[^}]*\} 1/,
  );
  assert.match(metrics, /rdscsi_csi_rpc_duration_seconds_count\{[^}]*method="Probe"/);
  const ready = await fetch(`http://127.0.0.1:${h.gateway.metricsPort}/readyz`);
  assert.equal(ready.status, 200);
});

test('shutdown lets an in-flight call finish, then refuses new calls and removes the socket', async (t) => {
  const h = await startHarness(t);
  const release = h.connector.hold(endpoints.volumeCreate);
  const inFlight = h.client.controller.CreateVolume({
    name: pvName(2),
    volume_capabilities: [mountCapability()],
  });
  await waitFor(() => h.connector.received.some((r) => r.endpoint === endpoints.volumeCreate.name));
  const stopping = h.gateway.stop();
  release();
  const created = await inFlight;
  assert.equal(created.volume?.volume_id, pvName(2));
  await stopping;
  await assert.rejects(lstat(h.socket), /ENOENT/);
  await assert.rejects(h.client.identity.Probe({}, { deadline: Date.now() + 2_000 }));
});

test('with NATS unreachable at start, the controller answers /healthz and says why /readyz is not ready', async (t) => {
  const h = await startHarness(t);
  const nats = await startNatsServer();
  h.defer(() => nats.dispose());
  await nats.stop();
  const metricsPort = await freePort();
  const starting = startGateway(
    {
      ...h.gateway.config,
      endpoint: `unix://${join(h.dir, 'nats-down.sock')}`,
      bus: { servers: [nats.url], name: 'csi-gateway' },
      metricsPort,
    },
    { logger: silentLogger() },
  );
  const base = `http://127.0.0.1:${metricsPort}`;
  const live = await waitFor(() => fetch(`${base}/healthz`).catch(() => undefined));
  assert.equal(live.status, 200);
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 503);
  assert.deepEqual(await ready.json(), { ready: false, reason: 'waiting for NATS' });
  await nats.start();
  const gateway = await starting;
  h.defer(() => gateway.stop());
  const after = (await (await fetch(`${base}/readyz`)).json()) as { reason?: string };
  assert.notEqual(after.reason, 'waiting for NATS');
});
