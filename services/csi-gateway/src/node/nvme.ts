import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from '@rds-csi/bus';
import { RdsCsiError, unavailable, errorMessage } from '@rds-csi/contracts';
import type { Logger } from '@rds-csi/observability';
import { commandFailed, runChecked, type CommandResult, type CommandRunner } from './exec.js';
import type { BlockDevice, NvmeSysfs } from './sysfs.js';
import { isManagedNqn, requireManagedNqn, type NvmeTarget } from './volume-request.js';

/**
 * The raw NVMe-oF operations. Production runs nvme-cli; tests plug in a connector that maps NQNs onto loop
 * devices and keeps a sysfs-like tree. Both report failures as RdsCsiError; UNAVAILABLE means "worth retrying".
 */
export interface NvmeFabric {
  /** Creates a controller for the target; resolves when one was created or already existed. */
  connect(target: NvmeTarget): Promise<void>;
  /** Removes every controller of the subsystem. */
  disconnect(nqn: string): Promise<void>;
  /** Makes the kernel re-read the namespaces of the subsystem (their sizes change after an expansion). */
  rescan(nqn: string): Promise<void>;
}

export type ConnectFailure = 'already-connected' | 'transient' | 'module-missing' | 'permanent';

/** Classifies the output of a failed `nvme connect` (LC_ALL=C, so the messages are the untranslated ones). */
export function classifyConnectFailure(output: string): ConnectFailure {
  if (/already connected/i.test(output)) return 'already-connected';
  if (/(failed to open|no such file or directory).*nvme-fabrics|nvme-fabrics.*no such file/i.test(output))
    return 'module-missing';
  const transient =
    /connection refused|timed out|no route to host|network is unreachable|host is down|input\/output error|resource temporarily unavailable|try again|connection reset|operation already in progress/i;
  return transient.test(output) ? 'transient' : 'permanent';
}

/** The nvme-cli arguments of a connect. keepAliveTmo 0 means "kernel default", so the option is left out. */
export function connectArgs(target: NvmeTarget): string[] {
  const args = [
    'connect',
    '--transport=tcp',
    `--traddr=${target.address}`,
    `--trsvcid=${target.port}`,
    `--nqn=${target.nqn}`,
    `--ctrl-loss-tmo=${target.ctrlLossTmo}`,
    `--reconnect-delay=${target.reconnectDelay}`,
  ];
  if (target.keepAliveTmo > 0) args.push(`--keep-alive-tmo=${target.keepAliveTmo}`);
  return args;
}

/** NVMe-oF through the real nvme-cli. */
export class NvmeCliFabric implements NvmeFabric {
  constructor(
    private readonly runner: CommandRunner,
    private readonly sysfs: NvmeSysfs,
    private readonly timeoutMs: number,
  ) {}

  async connect(target: NvmeTarget): Promise<void> {
    const result = await this.runner.run('nvme', connectArgs(target), { timeoutMs: this.timeoutMs });
    const error = result.exitCode === 0 ? undefined : this.connectError(result, target);
    if (error) throw error;
  }

  async disconnect(nqn: string): Promise<void> {
    await runChecked(this.runner, 'nvme', ['disconnect', `--nqn=${nqn}`], { timeoutMs: this.timeoutMs });
  }

  async rescan(nqn: string): Promise<void> {
    const subsystem = await this.sysfs.findSubsystem(nqn);
    for (const controller of subsystem?.controllers ?? []) {
      await runChecked(this.runner, 'nvme', ['ns-rescan', `${this.sysfs.devRoot}/${controller.name}`], {
        timeoutMs: this.timeoutMs,
      });
    }
  }

  private connectError(result: CommandResult, target: NvmeTarget): Error | undefined {
    const what = `nvme connect to ${target.address}:${target.port} (${target.nqn})`;
    switch (classifyConnectFailure(`${result.stderr}\n${result.stdout}`)) {
      case 'already-connected':
        return undefined;
      case 'transient':
        return commandFailed(result, 'UNAVAILABLE', what);
      case 'module-missing':
        return commandFailed(
          result,
          'FAILED_PRECONDITION',
          `${what} (is the nvme-tcp kernel module loaded?)`,
        );
      case 'permanent':
        return commandFailed(result, 'INTERNAL', what);
    }
  }
}

export interface NvmeManagerOptions {
  managedNqnPrefix: string;
  /** Retries of a transient connect failure (so at most retries + 1 attempts). */
  connectRetries: number;
  /** First backoff delay; doubles per retry up to 8x, plus the bus backoff's 10-30 % jitter. */
  connectRetryDelayMs: number;
  /** How long the block device may take to appear after a connect. */
  deviceWaitMs: number;
  logger: Logger;
}

export interface OrphanReport {
  disconnected: string[];
  failed: string[];
}

const DEVICE_POLL_MS = 100;

/**
 * The node plugin's only way to NVMe: connects idempotently with retries, resolves devices by NQN every time, and
 * never disconnects an NQN outside the managed prefix (the node may boot from other disks of the same RDS).
 */
export class NvmeManager {
  constructor(
    private readonly fabric: NvmeFabric,
    readonly sysfs: NvmeSysfs,
    private readonly options: NvmeManagerOptions,
  ) {}

  isManaged(nqn: string): boolean {
    return isManagedNqn(nqn, this.options.managedNqnPrefix);
  }

  /** Connects (unless a controller for the NQN exists already) and returns the volume's block device. */
  async connect(target: NvmeTarget): Promise<BlockDevice> {
    requireManagedNqn(target.nqn, this.options.managedNqnPrefix);
    const existing = await this.sysfs.findSubsystem(target.nqn);
    if (!existing || existing.controllers.length === 0) {
      await this.connectWithRetries(target);
    }
    return this.waitForDevice(target.nqn);
  }

  /** Retries a transient (UNAVAILABLE) connect failure up to `connectRetries` times, on the project's backoff. */
  private async connectWithRetries(target: NvmeTarget): Promise<void> {
    const { connectRetries, connectRetryDelayMs, logger } = this.options;
    const policy = { minMs: connectRetryDelayMs, maxMs: connectRetryDelayMs * 8 };
    for (let attemptNumber = 1; ; attemptNumber++) {
      try {
        return await this.fabric.connect(target);
      } catch (err) {
        const retriesLeft = connectRetries + 1 - attemptNumber;
        logger.warn(
          { nqn: target.nqn, attemptNumber, retriesLeft, err: errorMessage(err) },
          'nvme connect failed',
        );
        if (retriesLeft <= 0 || !(err instanceof RdsCsiError && err.code === 'UNAVAILABLE')) throw err;
        await sleep(backoffDelayMs(attemptNumber, policy));
      }
    }
  }

  /** The NQN's block device now, or undefined. */
  device(nqn: string): Promise<BlockDevice | undefined> {
    return this.sysfs.resolveDevice(nqn);
  }

  /** Polls for the namespace block device (the kernel scans namespaces after the connect returns). */
  async waitForDevice(nqn: string): Promise<BlockDevice> {
    const deadline = Date.now() + this.options.deviceWaitMs;
    let lastError: unknown;
    for (;;) {
      const device = await this.sysfs.resolveDevice(nqn);
      if (device) {
        try {
          await this.sysfs.verifyDeviceNode(device);
          return device;
        } catch (err) {
          lastError = err;
        }
      }
      if (Date.now() >= deadline) {
        const reason = lastError instanceof Error ? lastError.message : 'no namespace block device appeared';
        throw unavailable(
          `${nqn} is connected but unusable after ${this.options.deviceWaitMs} ms: ${reason}`,
        );
      }
      await sleep(DEVICE_POLL_MS);
    }
  }

  /** Disconnects a managed NQN; an NQN outside the managed prefix is never disconnected (returns false). */
  async disconnect(nqn: string): Promise<boolean> {
    if (!this.isManaged(nqn)) {
      this.options.logger.warn({ nqn }, 'refusing to disconnect an NQN outside the managed prefix');
      return false;
    }
    if (!(await this.sysfs.findSubsystem(nqn))) return true;
    await this.fabric.disconnect(nqn);
    return true;
  }

  rescan(nqn: string): Promise<void> {
    return this.fabric.rescan(nqn);
  }

  /**
   * Disconnects managed subsystems that have controllers but no block device (left by a crash between connect and
   * namespace scan, or by a namespace deleted on the RDS). Best effort: failures are reported, not thrown.
   */
  async disconnectOrphans(): Promise<OrphanReport> {
    const report: OrphanReport = { disconnected: [], failed: [] };
    for (const subsystem of await this.sysfs.listSubsystems()) {
      if (
        !this.isManaged(subsystem.nqn) ||
        subsystem.namespaces.length > 0 ||
        subsystem.controllers.length === 0
      )
        continue;
      try {
        await this.fabric.disconnect(subsystem.nqn);
        report.disconnected.push(subsystem.nqn);
      } catch (err) {
        this.options.logger.warn({ nqn: subsystem.nqn, err: errorMessage(err) }, 'orphan disconnect failed');
        report.failed.push(subsystem.nqn);
      }
    }
    return report;
  }
}
