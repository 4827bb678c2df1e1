import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Registry, silentLogger } from '@rds-csi/observability';
import { createCsiClient } from '@rds-csi/csi-spec';
import { LoopNvmeFabric, freePort } from '@rds-csi/testkit';
import { startGateway } from '../../src/gateway.js';
import type { GatewayConfig } from '../../src/config.js';
import { nodeConfig, nodeConfigFromEnv } from '../../src/node/index.js';
import { nodeMode } from '../../src/node/mode.js';
import { parseNodeId } from '../../src/node-id.js';
import type { RpcContext } from '../../src/server/pipeline.js';
import { NQN_BASE } from './harness.js';

const context = (topologyZone?: string) => ({
  // Node mode uses only these parts of the gateway's context.
  config: { topologyZone } as GatewayConfig,
  bus: undefined,
  logger: silentLogger(),
  registry: new Registry(),
});

const noCall = {} as RpcContext;

describe('node mode', () => {
  it('cleans up orphans before serving, reports readiness and takes the gateway’s zone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-node-mode-'));
    const fabric = await LoopNvmeFabric.create({ sysfsRoot: join(dir, 'sys'), backingFile: () => undefined });
    try {
      await fabric.addControllerWithoutNamespace({
        nqn: `${NQN_BASE}pvc-orphan`,
        address: '10.0.0.1',
        port: 4420,
      });
      const config = nodeConfig('worker-1', { sysfsRoot: fabric.sysfsRoot, stateDir: join(dir, 'state') });

      const mode = await nodeMode({ config, deps: { fabric } })(context('rack-2'));
      assert.deepEqual(fabric.connectedNqns(), [], 'the orphan was disconnected before the mode started');
      assert.deepEqual(mode.readiness(), { ready: true, reason: 'node plugin ready' });
      const info = await mode.node!.NodeGetInfo({}, noCall);
      assert.equal(parseNodeId(info.node_id ?? '')?.nodeName, 'worker-1');
      assert.deepEqual(info.accessible_topology?.segments, { 'topology.rds.csi.srvlab.io/zone': 'rack-2' });

      const missing = await nodeMode({ config, deps: { fabric, toolPaths: { nvme: join(dir, 'nvme') } } })(
        context(),
      );
      assert.deepEqual(missing.readiness(), { ready: false, reason: 'required tools missing: nvme' });
      const defaults = await missing.node!.NodeGetInfo({}, noCall);
      assert.deepEqual(defaults.accessible_topology?.segments, {
        'topology.rds.csi.srvlab.io/zone': 'default',
      });
      await mode.stop();
      await missing.stop();
    } finally {
      await fabric.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads its configuration from the environment', () => {
    const config = nodeConfigFromEnv({
      NODE_NAME: 'worker-2',
      CSI_MANAGED_NQN_PREFIX: 'nqn.2000-02.com.mikrotik:k8s-',
      CSI_NODE_STATE_DIR: '/var/lib/rds-csi',
      CSI_MAX_VOLUMES_PER_NODE: '64',
    });
    assert.equal(config.nodeId, 'worker-2');
    assert.equal(config.managedNqnPrefix, 'nqn.2000-02.com.mikrotik:k8s-');
    assert.equal(config.stateDir, '/var/lib/rds-csi');
    assert.equal(config.maxVolumesPerNode, 64);
    assert.equal(nodeConfigFromEnv({ CSI_NODE_ID: 'a', NODE_NAME: 'b' }).nodeId, 'a');
    assert.equal(nodeConfigFromEnv({ NODE_NAME: 'w' }).managedNqnPrefix, 'nqn.2000-02.com.mikrotik:pvc-');
    assert.throws(() => nodeConfigFromEnv({}), /CSI_NODE_ID/);
    assert.throws(() => nodeConfigFromEnv({ NODE_NAME: 'Not_A_Node' }), /node name/);
    assert.throws(() => nodeConfigFromEnv({ NODE_NAME: 'w', CSI_MANAGED_NQN_PREFIX: 'pvc-' }), /malformed/);
    assert.throws(() => nodeConfigFromEnv({ NODE_NAME: 'w', CSI_MAX_VOLUMES_PER_NODE: 'many' }), /integer/);
  });
});

describe('node-mode gateway without NATS', () => {
  it('serves the node socket at once and answers Probe ready while NATS is unreachable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-node-nonats-'));
    const fabric = await LoopNvmeFabric.create({ sysfsRoot: join(dir, 'sys'), backingFile: () => undefined });
    const socket = join(dir, 'csi.sock');
    const gateway = await startGateway(
      {
        mode: 'node',
        endpoint: `unix://${socket}`,
        metricsPort: null,
        bus: { servers: [`nats://127.0.0.1:${await freePort()}`], name: 'csi-gateway' },
      },
      {
        logger: silentLogger(),
        modeFactory: nodeMode({
          config: nodeConfig('worker-1', { sysfsRoot: fabric.sysfsRoot, stateDir: join(dir, 'state') }),
          deps: { fabric },
        }),
      },
    );
    const client = createCsiClient(`unix://${socket}`);
    try {
      assert.equal(
        (await client.identity.Probe({})).ready?.value,
        true,
        'a NATS outage must not fail the node plugin',
      );
      assert.equal(parseNodeId((await client.node.NodeGetInfo({})).node_id)?.nodeName, 'worker-1');
    } finally {
      client.close();
      await gateway.stop();
      await fabric.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
