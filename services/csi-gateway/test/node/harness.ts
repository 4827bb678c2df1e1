/**
 * A node plugin on a real data path for tests: the Node service behind the real request pipeline on a gRPC unix
 * socket, NVMe "connects" mapped to loop devices over sparse backing files, and a cleanup that unmounts everything
 * under the test's directory (targets before staging paths), detaches every loop device and only then deletes files.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { GRPC_STATUS } from '@rds-csi/contracts';
import {
  createCsiClient,
  csiServices,
  type CsiClient,
  type Input,
  type StringMap,
  type VolumeCapability,
} from '@rds-csi/csi-spec';
import { Registry, silentLogger } from '@rds-csi/observability';
import { LoopNvmeFabric } from '@rds-csi/testkit';
import { RpcPipeline } from '../../src/server/pipeline.js';
import {
  createNodeService,
  nodeConfig,
  type NodeConfigOverrides,
  type NodePlugin,
  type NodeServiceDeps,
} from '../../src/node/index.js';
import { mountsAt, parseMountInfo, type MountEntry } from '../../src/node/mountinfo.js';

export const MIB = 1024 * 1024;
export const NQN_BASE = 'nqn.2000-02.com.mikrotik:';

export interface TestVolume {
  volumeId: string;
  nqn: string;
  backingFile: string;
  stagingPath: string;
  /** A publish target of the i-th pod. */
  targetPath(pod?: number): string;
  volumeContext: StringMap;
}

export function mountCapability(
  fsType = 'ext4',
  mode = 'SINGLE_NODE_WRITER',
  mountFlags: string[] = [],
): Input<VolumeCapability> {
  return {
    mount: { fs_type: fsType, mount_flags: mountFlags },
    access_mode: { mode },
  } as Input<VolumeCapability>;
}

export function blockCapability(mode = 'SINGLE_NODE_WRITER'): Input<VolumeCapability> {
  return { block: {}, access_mode: { mode } } as Input<VolumeCapability>;
}

export function mountTable(): MountEntry[] {
  return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
}

/** How many mounts are stacked at `path` right now. */
export const mountCount = (path: string): number => mountsAt(mountTable(), path).length;

export interface HarnessOptions {
  config?: NodeConfigOverrides;
  deps?: Omit<NodeServiceDeps, 'fabric'>;
  /** Use the production nvme-cli fabric (with deps.toolPaths pointing at a fake nvme) instead of the loop connector. */
  nvmeCli?: boolean;
}

export class NodeHarness {
  private constructor(
    readonly dir: string,
    readonly volumes: Map<string, TestVolume>,
    readonly fabric: LoopNvmeFabric,
    readonly plugin: NodePlugin,
    readonly client: CsiClient,
    readonly registry: Registry,
    private readonly server: Server,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<NodeHarness> {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-node-'));
    const volumes = new Map<string, TestVolume>();
    const fabric = await LoopNvmeFabric.create({
      sysfsRoot: join(dir, 'sys'),
      backingFile: (target) => [...volumes.values()].find((v) => v.nqn === target.nqn)?.backingFile,
    });
    const registry = new Registry();
    // The node's host NQN file names the fabric's host, as /etc/nvme/hostnqn names a real node's.
    const hostNqnPath = join(dir, 'hostnqn');
    await writeFile(hostNqnPath, `${fabric.hostNqn}\n`);
    const config = nodeConfig('node-a', {
      hostNqnPath,
      stateDir: join(dir, 'state'),
      sysfsRoot: fabric.sysfsRoot,
      connectRetryDelayMs: 20,
      blkidRetryDelayMs: 20,
      ...options.config,
      timeouts: {
        commandMs: 20_000,
        connectMs: 20_000,
        mkfsMs: 60_000,
        deviceWaitMs: 2_000,
        ...options.config?.timeouts,
      },
    });
    const plugin = createNodeService(config, {
      registry,
      ...options.deps,
      fabric: options.nvmeCli ? undefined : fabric,
    });
    const server = new Server();
    server.addService(
      csiServices.Node,
      new RpcPipeline(silentLogger(), registry).bind('Node', plugin.handlers),
    );
    const socket = join(dir, 'csi.sock');
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    return new NodeHarness(
      dir,
      volumes,
      fabric,
      plugin,
      createCsiClient(`unix://${socket}`),
      registry,
      server,
    );
  }

  /** A volume as the RDS simulator would have it: a sparse backing file named after the volume. */
  async createVolume(sizeBytes: number, context: StringMap = {}): Promise<TestVolume> {
    const volumeId = `pvc-${randomUUID()}`;
    const nqn = `${NQN_BASE}${volumeId}`;
    const backingFile = join(this.dir, 'rds', `${volumeId}.img`);
    await mkdir(join(this.dir, 'rds'), { recursive: true });
    await writeFile(backingFile, '');
    await truncate(backingFile, sizeBytes);
    const volume: TestVolume = {
      volumeId,
      nqn,
      backingFile,
      stagingPath: join(this.dir, 'kubelet', 'staging', volumeId),
      targetPath: (pod = 0) => join(this.dir, 'kubelet', 'pods', `pod-${pod}`, volumeId),
      volumeContext: {
        nvmeAddress: '10.42.0.1',
        nvmePort: '4420',
        nqn,
        volumePath: `/storage-pool/kubernetes-volumes/${volumeId}.img`,
        ctrlLossTmo: '-1',
        reconnectDelay: '5',
        keepAliveTmo: '0',
        ...context,
      },
    };
    // The kubelet creates the staging directory and the target's parent.
    await mkdir(volume.stagingPath, { recursive: true });
    this.volumes.set(volumeId, volume);
    return volume;
  }

  stage(
    volume: TestVolume,
    capability: Input<VolumeCapability>,
    extra: { publish_context?: StringMap; volume_context?: StringMap } = {},
  ) {
    return this.client.node.NodeStageVolume({
      volume_id: volume.volumeId,
      staging_target_path: volume.stagingPath,
      volume_capability: capability,
      volume_context: extra.volume_context ?? volume.volumeContext,
      publish_context: extra.publish_context ?? {},
    });
  }

  publish(
    volume: TestVolume,
    capability: Input<VolumeCapability>,
    options: { pod?: number; readonly?: boolean } = {},
  ) {
    return this.client.node.NodePublishVolume({
      volume_id: volume.volumeId,
      staging_target_path: volume.stagingPath,
      target_path: volume.targetPath(options.pod),
      volume_capability: capability,
      volume_context: volume.volumeContext,
      readonly: options.readonly ?? false,
    });
  }

  unpublish(volume: TestVolume, pod = 0) {
    return this.client.node.NodeUnpublishVolume({
      volume_id: volume.volumeId,
      target_path: volume.targetPath(pod),
    });
  }

  unstage(volume: TestVolume) {
    return this.client.node.NodeUnstageVolume({
      volume_id: volume.volumeId,
      staging_target_path: volume.stagingPath,
    });
  }

  stats(volume: TestVolume, path: string) {
    return this.client.node.NodeGetVolumeStats({ volume_id: volume.volumeId, volume_path: path });
  }

  expand(volume: TestVolume, requiredBytes: number, pod = 0) {
    return this.client.node.NodeExpandVolume({
      volume_id: volume.volumeId,
      volume_path: volume.targetPath(pod),
      staging_target_path: volume.stagingPath,
      capacity_range: { required_bytes: requiredBytes },
    });
  }

  /** Unmounts everything under the test directory (newest mount first, so targets go before staging paths),
   * detaches every loop device and then deletes the directory — but never deletes while anything is still mounted. */
  async close(): Promise<void> {
    this.client.close();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    const leftovers = unmountUnder(this.dir);
    await this.fabric.cleanup();
    if (leftovers.length > 0) throw new Error(`mounts left under ${this.dir}: ${leftovers.join(', ')}`);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Unmounts every mount below `dir`, newest first; returns what could not be unmounted. */
export function unmountUnder(dir: string): string[] {
  for (let round = 0; round < 10; round++) {
    const mounts = mountTable()
      .filter((m) => m.mountPoint.startsWith(`${dir}/`))
      .sort((a, b) => b.mountId - a.mountId);
    if (mounts.length === 0) return [];
    for (const mount of mounts) {
      try {
        execFileSync('umount', [mount.mountPoint], { stdio: 'ignore', timeout: 30_000 });
      } catch {
        try {
          execFileSync('umount', ['-l', mount.mountPoint], { stdio: 'ignore', timeout: 30_000 });
        } catch {
          // next round
        }
      }
    }
  }
  return mountTable()
    .filter((m) => m.mountPoint.startsWith(`${dir}/`))
    .map((m) => m.mountPoint);
}

/** ext4 grows online through an ioctl that needs CAP_SYS_RESOURCE; some sandboxes run root without it. */
export function hasCapSysResource(): boolean {
  const effective = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
  return (BigInt(`0x${effective}`) & (1n << 24n)) !== 0n;
}

/** The file a loop device is attached to, if any. Another test may take a loop number the moment it is freed, so
 * "released" is checked as "no longer backing our file". */
export function loopBackingFile(loop: string): string | undefined {
  try {
    return readFileSync(`/sys/block/${basename(loop)}/loop/backing_file`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The grpc-js status code name of a rejection. */
export async function grpcCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const code = (err as { code?: number }).code;
    return Object.entries(GRPC_STATUS).find(([, value]) => value === code)?.[0] ?? `code ${code}`;
  }
  return 'OK';
}
