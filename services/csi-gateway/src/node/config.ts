import { NQN_PATTERN, NodeId, invalidArgument } from '@rds-csi/contracts';

export const DEFAULT_MANAGED_NQN_PREFIX = 'nqn.2000-02.com.mikrotik:pvc-';
/**
 * Every volume is its own NVMe/TCP controller on the host (one subsystem per volume on the RDS): an admin queue plus
 * one I/O queue per CPU, each a TCP connection with its own kernel work, and a keep-alive and reconnect timer. 32
 * keeps a many-core node within a few thousand connections to one RDS, well inside the kernel's controller limit.
 */
export const DEFAULT_MAX_VOLUMES_PER_NODE = 32;

export interface NodeTimeouts {
  /** Default for quick commands: blkid, mount, umount, mknod, nvme disconnect/rescan. */
  commandMs: number;
  /** One `nvme connect` attempt. */
  connectMs: number;
  /** mkfs can take long on large devices; killing it halfway helps nobody, so this is generous. */
  mkfsMs: number;
  resizeMs: number;
  /** How long a device may take to appear after a connect or to show its new size after a rescan. */
  deviceWaitMs: number;
}

export interface NodeConfig {
  /** The Kubernetes node name. */
  nodeId: string;
  managedNqnPrefix: string;
  /** Value of the node's topology.rds.csi.srvlab.io/zone segment ("default", as the Go driver reported). */
  topologyZone: string;
  /**
   * Volumes this node stages at most, reported in NodeGetInfo so the scheduler places no more here; 0 = no limit.
   * Default DEFAULT_MAX_VOLUMES_PER_NODE (see docs/node-plugin.md for why).
   */
  maxVolumesPerNode: number;
  /** The node's NVMe host NQN file (nvme-cli's): its NQN goes into the node ID for the storage fence. */
  hostNqnPath: string;
  /** One JSON file per staged volume; must survive plugin restarts (a hostPath). */
  stateDir: string;
  sysfsRoot: string;
  devRoot: string;
  mountInfoPath: string;
  timeouts: NodeTimeouts;
  connectRetries: number;
  connectRetryDelayMs: number;
  blkidAttempts: number;
  blkidRetryDelayMs: number;
  breakerFailureThreshold: number;
  breakerCooldownMs: number;
}

export const DEFAULT_NODE_TIMEOUTS: NodeTimeouts = {
  commandMs: 30_000,
  connectMs: 30_000,
  mkfsMs: 300_000,
  resizeMs: 120_000,
  deviceWaitMs: 15_000,
};

export type NodeConfigOverrides = Partial<Omit<NodeConfig, 'nodeId' | 'timeouts'>> & {
  timeouts?: Partial<NodeTimeouts>;
};

/** Everything except the node ID has a default. */
export function nodeConfig(nodeId: string, overrides: NodeConfigOverrides = {}): NodeConfig {
  const parsedId = NodeId.safeParse(nodeId);
  if (!parsedId.success)
    throw invalidArgument(`node ID ${JSON.stringify(nodeId)} is not a Kubernetes node name`);
  const config: NodeConfig = {
    nodeId,
    managedNqnPrefix: DEFAULT_MANAGED_NQN_PREFIX,
    topologyZone: 'default',
    maxVolumesPerNode: DEFAULT_MAX_VOLUMES_PER_NODE,
    hostNqnPath: '/etc/nvme/hostnqn',
    stateDir: '/var/lib/kubelet/plugins/rds.csi.srvlab.io/volumes',
    sysfsRoot: '/sys',
    devRoot: '/dev',
    mountInfoPath: '/proc/self/mountinfo',
    connectRetries: 3,
    connectRetryDelayMs: 1_000,
    blkidAttempts: 3,
    blkidRetryDelayMs: 500,
    breakerFailureThreshold: 5,
    breakerCooldownMs: 30_000,
    ...overrides,
    timeouts: { ...DEFAULT_NODE_TIMEOUTS, ...overrides.timeouts },
  };
  if (!NQN_PATTERN.test(config.managedNqnPrefix)) {
    throw invalidArgument(`managed NQN prefix ${JSON.stringify(config.managedNqnPrefix)} is malformed`);
  }
  return config;
}

function integer(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw invalidArgument(`${name} must be a non-negative integer`);
  return Number(value);
}

function defined<T extends object>(values: T): Partial<T> {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- dropping undefined-valued keys of a Partial<T> keeps it one.
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Node-mode configuration from the environment. The node ID comes from CSI_NODE_ID or NODE_NAME (the DaemonSet
 * sets it from spec.nodeName through the downward API).
 */
export function nodeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const nodeId = env.CSI_NODE_ID || env.NODE_NAME;
  if (!nodeId) throw invalidArgument('CSI_NODE_ID (or NODE_NAME) must name this Kubernetes node');
  return nodeConfig(
    nodeId,
    defined({
      managedNqnPrefix: env.CSI_MANAGED_NQN_PREFIX || undefined,
      topologyZone: env.CSI_TOPOLOGY_ZONE || undefined,
      maxVolumesPerNode: integer(env, 'CSI_MAX_VOLUMES_PER_NODE'),
      stateDir: env.CSI_NODE_STATE_DIR || undefined,
      sysfsRoot: env.CSI_SYSFS_ROOT || undefined,
      hostNqnPath: env.CSI_HOST_NQN_PATH || undefined,
    }),
  );
}
