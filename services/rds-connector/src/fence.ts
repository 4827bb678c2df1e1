/**
 * `rds.volume.fence`: makes a volume's export admit exactly the given hosts (with keepAdmitted: these and those it
 * admits now, less the hosts revoked by name). One lookup, coalesced with concurrent ones (is it a volume of this
 * driver, what does it admit now) and, only when the list differs, one chained command that sets the list,
 * re-exports when a host loses access (so its live connection drops) and prints the disk back.
 */
import { RdsCsiError, notFound, type VolumeFence } from '@rds-csi/contracts';
import {
  admitsExactly,
  buildFence,
  isDriverVolume,
  nqnFor,
  parseDisks,
  revokesHosts,
  validateAllowHosts,
  type DiskEntry,
} from '@rds-csi/routeros';
import type { RunCommand } from './rds-operations.js';

export async function fenceVolume(
  run: RunCommand,
  lookup: (slot: string, deadline: number) => Promise<DiskEntry | undefined>,
  request: {
    id: string;
    allowHostNqns: readonly string[];
    keepOpen: boolean;
    keepAdmitted: boolean;
    revokeHostNqns: readonly string[];
  },
  basePath: string,
  deadline: number,
): Promise<VolumeFence> {
  const { id, keepOpen, keepAdmitted } = request;
  validateAllowHosts(request.allowHostNqns);
  // Shared with concurrent lookups: the revocations of a node's many volumes go out as a few coalesced prints.
  const disk = volumeDisk(await lookup(id, deadline), id, basePath);
  if ((keepOpen || keepAdmitted) && disk.nvmeTcpAllowHosts === undefined)
    return { id, allowHostNqns: [], open: true, changed: false, reexported: false };
  // keepAdmitted: the hosts admitted now stay, except those revoked by name (an open export was returned above).
  const kept = keepAdmitted
    ? (disk.nvmeTcpAllowHosts ?? []).filter((host) => !request.revokeHostNqns.includes(host))
    : [];
  const hosts = validateAllowHosts([...request.allowHostNqns, ...kept]);
  if (admitsExactly(disk.nvmeTcpAllowHosts, hosts))
    return { id, allowHostNqns: hosts, open: false, changed: false, reexported: false };
  const reexport = revokesHosts(disk.nvmeTcpAllowHosts, hosts);
  const command = buildFence({ volumeId: id, hosts, reexportPort: reexport ? disk.nvmeTcpPort : undefined });
  const output = await run(command, reexport ? 'fence-reexport' : 'fence', deadline);
  const applied = volumeDisk(
    parseDisks(output).find((d) => d.slot === id),
    id,
    basePath,
  );
  if (!admitsExactly(applied.nvmeTcpAllowHosts, hosts)) {
    throw new RdsCsiError(
      'INTERNAL',
      `the RDS did not apply the allow-list of ${id} (does this RouterOS version have nvme-tcp-server-allow-host-name?)`,
    );
  }
  return { id, allowHostNqns: hosts, open: false, changed: true, reexported: reexport };
}

/** Only an exported file disk of this driver, under the driver's own NQN, is ever fenced. */
function volumeDisk(disk: DiskEntry | undefined, id: string, basePath: string): DiskEntry {
  if (!disk || !isDriverVolume(disk, basePath)) throw notFound(`volume ${id} does not exist on the RDS`);
  if (disk.nvmeTcpNqn !== nqnFor(id) || disk.nvmeTcpPort === undefined) {
    throw new RdsCsiError('FAILED_PRECONDITION', `volume ${id} is not exported under the driver's NQN`);
  }
  return disk;
}
