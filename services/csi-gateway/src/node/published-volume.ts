import { VOLUME_ID_PATTERN, invalidArgument, notFound } from '@rds-csi/contracts';
import type { VolumeState, VolumeStateStore } from './state.js';
import { requirePath } from './volume-request.js';

/**
 * The volume an RPC on a published volume names (NodeGetVolumeStats, NodeExpandVolume), in the order the spec's
 * tests expect: missing fields are INVALID_ARGUMENT; then a volume this node does not have is NOT_FOUND, whatever
 * its path looks like; then the path's syntax; then a path where the volume is neither staged nor published is
 * NOT_FOUND (another volume's mount there must not answer for it).
 */
export async function publishedVolume(
  states: VolumeStateStore,
  volumeId: string,
  path: string,
  field: string,
): Promise<VolumeState> {
  if (!volumeId) throw invalidArgument('volume_id is required');
  if (!path) throw invalidArgument(`${field} is required`);
  const state =
    volumeId.length <= 63 && VOLUME_ID_PATTERN.test(volumeId) ? await states.load(volumeId) : undefined;
  if (!state) throw notFound(`volume ${volumeId} is not staged on this node`);
  requirePath(path, field);
  if (path !== state.stagingPath && !state.publishedTargets.includes(path))
    throw notFound(`volume ${volumeId} is not published at ${path}`);
  return state;
}
