import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Server,
  ServerCredentials,
  status,
  type ServiceError,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { createCsiClient, csiServices, type ProbeResponse } from '../src/index.js';

test('createCsiClient calls a real grpc-js server over a unix socket, with deadlines and status codes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'csi-spec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const socket = join(dir, 'csi.sock');
  let seenDeadline: unknown;

  const server = new Server();
  server.addService(csiServices.Identity, {
    GetPluginInfo: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
      callback(null, { name: 'test.csi', vendor_version: '1.2.3', manifest: { a: 'b' } }),
    GetPluginCapabilities: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
      callback({ code: status.FAILED_PRECONDITION, details: 'not today' }),
    Probe: (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<ProbeResponse>) => {
      seenDeadline = call.getDeadline();
      callback(null, { ready: { value: true } });
    },
  });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (err) =>
      err ? reject(err) : resolve(),
    ),
  );
  t.after(() => server.forceShutdown());

  const client = createCsiClient(`unix://${socket}`);
  t.after(() => client.close());

  assert.deepEqual(await client.identity.GetPluginInfo({}), {
    name: 'test.csi',
    vendor_version: '1.2.3',
    manifest: { a: 'b' },
  });

  const deadline = Date.now() + 30_000;
  assert.deepEqual(await client.identity.Probe({}, { deadline }), { ready: { value: true } });
  assert.ok(seenDeadline instanceof Date || typeof seenDeadline === 'number');
  assert.ok(Math.abs(Number(seenDeadline) - deadline) < 5_000, 'the server sees the caller deadline');

  await assert.rejects(client.identity.GetPluginCapabilities({}), (err: ServiceError) => {
    assert.equal(err.code, status.FAILED_PRECONDITION);
    assert.equal(err.details, 'not today');
    return true;
  });
  await assert.rejects(
    client.controller.ControllerGetCapabilities({}),
    (err: ServiceError) => err.code === status.UNIMPLEMENTED,
  );
});
