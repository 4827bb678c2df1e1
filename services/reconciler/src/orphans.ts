import type { OrphanVolume, Volume } from '@rds-csi/contracts';

/** When each unreferenced volume was first seen unreferenced; a volume that gains a PV is forgotten. */
export type FirstSeen = Map<string, number>;

export interface OrphanFindings {
  orphans: OrphanVolume[];
  withinGrace: number;
}

/**
 * Volumes no PersistentVolume references, reported only once seen unreferenced for the whole grace period, so a
 * volume whose PV is being created right now is never reported. The age is observed by the reconciler (RouterOS file
 * times carry no zone), and restarts it from zero: a restart can only delay a report, never hasten it.
 */
export function findOrphans(
  volumes: Volume[],
  referenced: ReadonlySet<string>,
  firstSeen: FirstSeen,
  now: number,
  graceMs: number,
): OrphanFindings {
  const unreferenced = volumes.filter((v) => !referenced.has(v.id));
  const current = new Set(unreferenced.map((v) => v.id));
  for (const id of [...firstSeen.keys()]) if (!current.has(id)) firstSeen.delete(id);
  const orphans: OrphanVolume[] = [];
  for (const volume of unreferenced) {
    const since = firstSeen.get(volume.id) ?? now;
    firstSeen.set(volume.id, since);
    if (now - since >= graceMs) {
      orphans.push({
        volumeId: volume.id,
        filePath: volume.filePath,
        sizeBytes: volume.sizeBytes,
        firstSeen: new Date(since).toISOString(),
      });
    }
  }
  return { orphans, withinGrace: unreferenced.length - orphans.length };
}
