/**
 * The storage fence: a file disk's NVMe/TCP export admits only the host NQNs listed in its
 * `nvme-tcp-server-allow-host-name` property. RouterOS reads an empty list as "any host", so the driver writes a
 * sentinel NQN that no host has when no host may connect. A host taken off the list keeps a connection it already
 * has, so a change that revokes a host also re-exports the disk (export off, then on again), which drops every
 * live connection; admitted hosts reconnect, the revoked one is refused.
 */
import { invalidArgument } from '@rds-csi/contracts';
import { chainCommands, buildPrintDisk, quoteRouterOsString, type RouterOsCommand } from './commands.js';
import { nqnFor, validateNqn, validatePort, validateSlot, validateVolumeId } from './ids.js';

export const ALLOW_HOST_PROPERTY = 'nvme-tcp-server-allow-host-name';
/** RWO admits one host; RWX block live migration two, only while both are recorded. */
export const MAX_FENCE_HOSTS = 2;
/** Stands for "no host": a valid NQN in the driver's own naming authority that no host is ever given. */
export const NO_HOST_NQN = 'nqn.2000-02.io.srvlab.rds-csi:fence:no-host';

/**
 * What an export admits: exactly these hosts (sorted; empty = none), or undefined for any host (the property is
 * empty, as on disks made by the Go driver or by hand).
 */
export type AllowList = readonly string[] | undefined;

/** Validated, de-duplicated and sorted host NQNs; more than MAX_FENCE_HOSTS is INVALID_ARGUMENT. */
export function validateAllowHosts(hosts: readonly unknown[]): string[] {
  const checked = [...new Set(hosts.map((host) => validateNqn(host, 'host NQN')))].sort();
  if (checked.length > MAX_FENCE_HOSTS) {
    throw invalidArgument(`an export admits at most ${MAX_FENCE_HOSTS} hosts, got ${checked.length}`);
  }
  if (checked.includes(NO_HOST_NQN)) throw invalidArgument(`${NO_HOST_NQN} is reserved for "no host"`);
  return checked;
}

/** The property's value as `print detail` shows it (undefined or empty = any host). */
export function parseAllowList(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const hosts = value
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '' && host !== NO_HOST_NQN);
  return [...new Set(hosts)].sort();
}

/** The property value that admits exactly `hosts` (validated): a comma-separated list, or the sentinel. */
export function formatAllowList(hosts: readonly string[]): string {
  const checked = validateAllowHosts(hosts);
  return checked.length === 0 ? NO_HOST_NQN : checked.join(',');
}

/** Whether the export already admits exactly `wanted`. */
export function admitsExactly(current: AllowList, wanted: readonly string[]): boolean {
  const checked = validateAllowHosts(wanted);
  return current !== undefined && sameHosts(current, checked);
}

/** A change revokes when some host admitted now would not be admitted after it ("any" admits every host). */
export function revokesHosts(current: AllowList, wanted: readonly string[]): boolean {
  if (current === undefined) return true;
  const next = new Set(validateAllowHosts(wanted));
  return current.some((host) => !next.has(host));
}

export interface FenceSpec {
  volumeId: string;
  hosts: readonly string[];
  /** Re-export after the change, restating the export's port (the NQN is always the driver's for the volume). */
  reexportPort?: number | undefined;
}

/**
 * One chained command: set the allow-list, re-export when hosts are revoked, and print the disk back (the caller
 * checks the printed list is the one it asked for).
 */
export function buildFence(spec: FenceSpec): RouterOsCommand {
  const id = validateVolumeId(spec.volumeId);
  const slot = validateSlot(id);
  const disk = `/disk set [find slot=${slot}]`;
  const steps: RouterOsCommand[] = [
    asFenceCommand(`${disk} ${ALLOW_HOST_PROPERTY}=${quoteRouterOsString(formatAllowList(spec.hosts))}`),
  ];
  if (spec.reexportPort !== undefined) {
    const port = validatePort(spec.reexportPort);
    steps.push(asFenceCommand(`${disk} nvme-tcp-export=no`));
    steps.push(
      asFenceCommand(
        `${disk} nvme-tcp-export=yes nvme-tcp-server-port=${port} nvme-tcp-server-nqn=${nqnFor(id)}`,
      ),
    );
  }
  steps.push(buildPrintDisk(slot));
  return chainCommands(steps);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- this module is where validated command text becomes the brand.
const asFenceCommand = (text: string): RouterOsCommand => text as RouterOsCommand;

function sameHosts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((host, i) => host === b[i]);
}
