import type { Lineage } from './lineage.js';

/** The Go driver's older snapshot ID: the source volume's uuid and the creation time as decimal unix seconds. */
const OLDER_GO_ID = /^snap-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-at-(\d{10})$/;

/**
 * The lineage an older Go-driver snapshot ID embeds, for snapshots that have no lineage record. The current format
 * (`snap-<uuid of the name>-at-<its first 10 hex digits>`) can be all digits by chance; its suffix repeats the uuid,
 * which a unix time never does, so it is told apart and yields nothing.
 */
export function lineageFromLegacyId(snapshotId: string): Lineage | undefined {
  const match = OLDER_GO_ID.exec(snapshotId);
  const [, uuid, seconds] = match ?? [];
  if (uuid === undefined || seconds === undefined) return undefined;
  if (uuid.replace(/-/g, '').startsWith(seconds)) return undefined;
  return { sourceVolumeId: `pvc-${uuid}`, createdAt: new Date(Number(seconds) * 1000).toISOString() };
}
