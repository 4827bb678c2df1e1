import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { createCsiClient, type CsiClient, type Input, type VolumeCapability } from '@rds-csi/csi-spec';
import { silentLogger } from '@rds-csi/observability';
import { startNatsServer, type NatsServerHandle } from '@rds-csi/testkit';
import { startGateway, type GatewayConfigInput, type RunningGateway } from '../../src/index.js';
import { FakeConnector } from './fake-connector.js';
import { FakeReconciler } from './fake-reconciler.js';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
export const HEARTBEAT_MS = 200;

export interface Harness {
  nats: NatsServerHandle;
  connector: FakeConnector;
  reconciler: FakeReconciler | undefined;
  gateway: RunningGateway;
  client: CsiClient;
  dir: string;
  socket: string;
  /** Registers a cleanup that runs before the harness's own (e.g. an extra gateway on the same NATS). */
  defer(cleanup: () => Promise<unknown> | void): void;
}

export interface HarnessOptions {
  /** Start the fakeReconciler (default true). */
  reconciler?: boolean;
  gateway?: Partial<GatewayConfigInput>;
  logger?: Logger;
}

/**
 * A real nats-server, the fakeConnector (and optionally the fakeReconciler) on it, the gateway in controller mode on
 * a unix socket in a fresh directory, and a grpc-js client on that socket. Everything is torn down after the test,
 * in reverse order, even when it fails.
 */
export async function startHarness(t: TestContext, options: HarnessOptions = {}): Promise<Harness> {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const dir = await mkdtemp(join(tmpdir(), 'csi-gateway-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const nats = await startNatsServer({ jetstream: false });
  cleanups.push(() => nats.dispose());
  const connector = await FakeConnector.start(nats.url, HEARTBEAT_MS);
  cleanups.push(() => connector.stop());
  const reconciler = (options.reconciler ?? true) ? await FakeReconciler.start(nats.url) : undefined;
  if (reconciler) cleanups.push(() => reconciler.stop());
  const socket = join(dir, 'plugin', 'csi.sock');
  const gateway = await startGateway(
    {
      mode: 'controller',
      endpoint: `unix://${socket}`,
      metricsPort: null,
      rdsHeartbeatIntervalMs: HEARTBEAT_MS,
      bus: { servers: [nats.url], name: 'csi-gateway', requestTimeoutMs: 10_000 },
      ...options.gateway,
    },
    { logger: options.logger ?? silentLogger() },
  );
  cleanups.push(() => gateway.stop());
  const client = createCsiClient(gateway.address);
  cleanups.push(() => client.close());
  return {
    nats,
    connector,
    reconciler,
    gateway,
    client,
    dir,
    socket,
    defer: (cleanup) => cleanups.push(cleanup),
  };
}

export const mountCapability = (mode = 'SINGLE_NODE_WRITER', fsType = 'ext4'): Input<VolumeCapability> => ({
  mount: { fs_type: fsType },
  access_mode: { mode: mode as never },
});

export const blockCapability = (mode = 'SINGLE_NODE_WRITER'): Input<VolumeCapability> => ({
  block: {},
  access_mode: { mode: mode as never },
});

/** Asserts that a call fails with the given gRPC status code; returns the error for further checks. */
export async function expectCode(call: Promise<unknown>, code: status, what?: string): Promise<ServiceError> {
  try {
    await call;
  } catch (err) {
    const e = err as ServiceError;
    assert.equal(status[e.code], status[code], `${what ?? 'call'}: ${e.details}`);
    return e;
  }
  assert.fail(`${what ?? 'call'} succeeded, expected ${status[code]}`);
}

export const pvName = (n: number): string => `pvc-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
