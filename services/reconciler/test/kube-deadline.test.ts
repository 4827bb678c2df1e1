import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { rejectionOf } from '@rds-csi/testkit';
import { readKubernetesAttachments } from '../src/kube-adoption.js';

describe('Kubernetes calls on adoption', () => {
  it('give up at their deadline with UNAVAILABLE when the API server accepts and never answers', async (t) => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    const { port } = server.address() as { port: number };
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'hung', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'c', cluster: 'hung', user: 'u' }],
      currentContext: 'c',
    });
    const err = await rejectionOf(() =>
      readKubernetesAttachments(kc, {
        driverName: 'rds.csi.srvlab.io',
        defaultMigrationTimeoutSeconds: 300,
        requestTimeoutMs: 200,
      }),
    );
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /VolumeAttachments/);
    assert.ok(sockets.size >= 1, 'the request reached the server');
  });
});
