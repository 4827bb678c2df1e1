import type { Snapshot as RdsSnapshot, Volume as RdsVolume } from '@rds-csi/contracts';
import type { Input, Snapshot, Timestamp, Topology, VolumeCondition } from '@rds-csi/csi-spec';
import { TOPOLOGY_ZONE_KEY } from '../config.js';

/** The topology every volume is accessible from when a zone is configured (one RDS serves the whole zone). */
export function volumeTopology(zone: string | undefined): Topology[] {
  return zone ? [{ segments: { [TOPOLOGY_ZONE_KEY]: zone } }] : [];
}

/** Whether a topology the CO names includes the configured zone (no zone configured: everything is reachable). */
export const reachableFrom = (zone: string | undefined, topology: Topology): boolean =>
  zone === undefined || topology.segments[TOPOLOGY_ZONE_KEY] === zone;

/** A volume RouterOS cannot serve (disabled, inactive) or does not export cannot be attached by any node. */
export function volumeCondition(volume: RdsVolume): VolumeCondition {
  if (volume.problem) return { abnormal: true, message: volume.problem };
  return volume.exported
    ? { abnormal: false, message: `exported over NVMe/TCP as ${volume.nqn}` }
    : {
        abnormal: true,
        message: `the backing file ${volume.filePath} exists but is not exported over NVMe/TCP`,
      };
}

export function timestamp(iso: string): Timestamp {
  const ms = Date.parse(iso);
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

export function csiSnapshot(snapshot: RdsSnapshot): Input<Snapshot> {
  return {
    size_bytes: snapshot.sizeBytes,
    snapshot_id: snapshot.id,
    source_volume_id: snapshot.sourceVolumeId,
    creation_time: timestamp(snapshot.createdAt),
    ready_to_use: snapshot.readyToUse,
  };
}
