/**
 * Deploy details an operator relies on: NATS (which holds the RWO fence) is scheduled as critically as the driver
 * pods, and every CSI sidecar serves metrics and leader-election health on its own port, probed for liveness.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installedManifests, workloads, type Container } from './support/deploy.js';

const SIDECAR_IMAGE = /^registry\.k8s\.io\/sig-storage\//;

function httpEndpointPort(container: Container): number | undefined {
  const arg = container.args?.find((a) => a.startsWith('--http-endpoint='));
  return arg === undefined ? undefined : Number(arg.split(':').pop());
}

describe('deploy/ details', () => {
  const all = workloads(installedManifests());

  it('every driver workload, NATS included, has a system priority class', () => {
    for (const workload of all) {
      const priority = (workload.pod as { priorityClassName?: string }).priorityClassName;
      assert.match(priority ?? '', /^system-(cluster|node)-critical$/, `${workload.kind} ${workload.name}`);
    }
  });

  it('every CSI sidecar serves --http-endpoint on its own declared port, probed for liveness when leader-elected', () => {
    for (const workload of all) {
      const sidecars = workload.pod.containers.filter((c) => SIDECAR_IMAGE.test(c.image));
      const ports = sidecars.map((c) => httpEndpointPort(c));
      assert.equal(new Set(ports).size, ports.length, `${workload.name}: one port per sidecar`);
      for (const sidecar of sidecars) {
        const where = `${workload.name}/${sidecar.name}`;
        const port = httpEndpointPort(sidecar);
        assert.ok(port !== undefined && Number.isInteger(port) && port > 0, `${where}: --http-endpoint`);
        if (!sidecar.args?.includes('--leader-election')) continue;
        const declared = sidecar.ports?.find((p) => p.containerPort === port);
        assert.ok(declared?.name, `${where}: port ${port} declared and named`);
        const probe = sidecar.livenessProbe;
        assert.equal(probe?.httpGet?.path, '/healthz/leader-election', where);
        assert.equal(probe?.httpGet?.port, declared.name, where);
      }
    }
  });
});
