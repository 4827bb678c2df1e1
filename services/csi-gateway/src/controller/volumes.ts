import { posix } from 'node:path';
import {
  RdsCsiError,
  alreadyExists,
  endpoints,
  failedPrecondition,
  invalidArgument,
  notFound,
  sameContentSource,
  type Volume as RdsVolume,
  type VolumeContentSource as RdsContentSource,
} from '@rds-csi/contracts';
import type { CreateVolumeRequest, Input, TopologyRequirement, VolumeContentSource } from '@rds-csi/csi-spec';
import type { RpcContext } from '../server/pipeline.js';
import { firstCapabilityProblem, requireCapability } from './access.js';
import { fitsRange, parseCapacityRange, sizeForRange, type SizeBounds } from './capacity.js';
import { volumeContext } from './context.js';
import type { ControllerDeps, ControllerHandlers } from './deps.js';
import { isSnapshotId, isVolumeId, volumeIdForName } from './ids.js';
import { required } from './required.js';
import { parseVolumeParameters, type VolumeParameters } from './parameters.js';
import { reachableFrom, volumeTopology } from './responses.js';
import { ensureCreated } from './rds.js';

/** The content source as the bus names it; a source of a shape this driver never issues cannot exist: NOT_FOUND. */
function contentSource(source: VolumeContentSource | null): RdsContentSource | undefined {
  if (!source) return undefined;
  if (source.type === 'snapshot') {
    const id = required(source.snapshot?.snapshot_id ?? '', 'volume_content_source.snapshot.snapshot_id');
    if (!isSnapshotId(id)) throw notFound(`source snapshot ${id} does not exist`);
    return { type: 'snapshot', id };
  }
  if (source.type === 'volume') {
    const id = required(source.volume?.volume_id ?? '', 'volume_content_source.volume.volume_id');
    if (!isVolumeId(id)) throw notFound(`source volume ${id} does not exist`);
    return { type: 'volume', id };
  }
  throw invalidArgument('volume_content_source must name a snapshot or a volume');
}

/** The volume's own content source as CSI names it (none for an empty volume), never the request's. */
function csiContentSource(source: RdsContentSource | undefined): Input<VolumeContentSource> | null {
  if (!source) return null;
  return source.type === 'snapshot'
    ? { snapshot: { snapshot_id: source.id } }
    : { volume: { volume_id: source.id } };
}

const describeSource = (source: RdsContentSource | undefined): string =>
  source ? `its content comes from ${source.type} ${source.id}` : 'it has no content source';

/**
 * The size to ask for. A copy is never smaller than its source and the rds-connector, which reads the source in
 * the same round trip anyway, takes the larger: with nothing required it gets exactly the source's size, and it
 * refuses a copy above the limit. An empty volume gets its size here.
 */
function requestedSize(
  bounds: SizeBounds,
  source: RdsContentSource | undefined,
  defaultSize: number,
): { sizeBytes?: number; limitBytes?: number } {
  if (!source) return { sizeBytes: sizeForRange(bounds, 0, defaultSize) };
  const limit = bounds.limit > 0 ? { limitBytes: bounds.limit } : {};
  return bounds.required > 0 ? { sizeBytes: sizeForRange(bounds, 0, 0), ...limit } : limit;
}

/** RESOURCE_EXHAUSTED when the CO requires topologies that do not include the zone the RDS serves. */
function checkAccessibility(requirement: TopologyRequirement | null, zone: string | undefined): void {
  const requisite = requirement?.requisite ?? [];
  if (requisite.length > 0 && !requisite.some((t) => reachableFrom(zone, t))) {
    throw new RdsCsiError(
      'RESOURCE_EXHAUSTED',
      `volumes are only accessible from zone ${zone}, which the requisite topologies exclude`,
    );
  }
}

/** Whether a file lies directly in a directory, however either spells leading and trailing slashes. */
const trimSlashes = (path: string): string => posix.normalize(path).replace(/^\/+|\/+$/g, '');
const inDirectory = (file: string, directory: string): boolean =>
  trimSlashes(posix.dirname(file)) === trimSlashes(directory);

/** ALREADY_EXISTS unless an existing volume satisfies the request's size, placement and content source. */
function checkCompatible(
  volume: RdsVolume,
  bounds: SizeBounds,
  params: VolumeParameters,
  source: RdsContentSource | undefined,
): void {
  const mismatches: string[] = [];
  if (!sameContentSource(volume.source, source)) mismatches.push(describeSource(volume.source));
  if (!fitsRange(volume.sizeBytes, bounds))
    mismatches.push(`its size ${volume.sizeBytes} is outside the requested range`);
  if (params.nvmePort !== undefined && params.nvmePort !== volume.nvmeTcpPort)
    mismatches.push(`it is exported on port ${volume.nvmeTcpPort}`);
  if (params.volumePath !== undefined && !inDirectory(volume.filePath, params.volumePath)) {
    mismatches.push(`its file is ${volume.filePath}`);
  }
  if (mismatches.length > 0)
    throw alreadyExists(`volume ${volume.id} already exists but ${mismatches.join(' and ')}`);
}

export function volumeHandlers(
  deps: ControllerDeps,
): ControllerHandlers<
  'CreateVolume' | 'DeleteVolume' | 'ControllerExpandVolume' | 'ValidateVolumeCapabilities'
> {
  const { rds } = deps;

  async function createVolume(request: CreateVolumeRequest, ctx: RpcContext) {
    const name = required(request.name, 'name');
    const capabilityProblem = firstCapabilityProblem(request.volume_capabilities);
    if (capabilityProblem) throw invalidArgument(capabilityProblem);
    const params = parseVolumeParameters(request.parameters);
    const bounds = parseCapacityRange(request.capacity_range);
    const source = contentSource(request.volume_content_source);
    checkAccessibility(request.accessibility_requirements, deps.zone);
    const id = volumeIdForName(name);
    ctx.annotate({ volumeId: id, source });
    ctx.lock(`volume:${id}`, `volume ${id}`);

    const size = requestedSize(bounds, source, deps.config.defaultVolumeSizeBytes);
    // A vanished source still lets a repeat find its earlier result; a new volume then fails NOT_FOUND at the RDS.
    const volume = await ensureCreated(
      () => rds.find(endpoints.volumeGet, { id }, ctx),
      () =>
        rds.request(
          endpoints.volumeCreate,
          { id, ...size, volumePath: params.volumePath, nvmePort: params.nvmePort, source },
          ctx,
        ),
      (existing) => checkCompatible(existing, bounds, params, source),
    );
    return {
      volume: {
        capacity_bytes: volume.sizeBytes,
        volume_id: volume.id,
        volume_context: volumeContext(volume, params, deps.addresses),
        content_source: csiContentSource(volume.source),
        accessible_topology: volumeTopology(deps.zone),
      },
    };
  }

  return {
    CreateVolume: createVolume,

    async DeleteVolume(request, ctx) {
      const id = required(request.volume_id, 'volume_id');
      ctx.annotate({ volumeId: id });
      // An ID this driver never issues names no volume: deleting it is already done.
      if (!isVolumeId(id)) return {};
      ctx.lock(`volume:${id}`, `volume ${id}`);
      // Deleting a volume a node still has attached would pull the disk from under a running pod. Ask the owner of
      // attachment state; if it cannot answer, refuse (UNAVAILABLE) rather than guess.
      const attachment = await rds.find(endpoints.attachGet, { volumeId: id }, ctx);
      if (attachment && attachment.nodes.length > 0) {
        const nodes = attachment.nodes.map((n) => n.nodeId).join(', ');
        throw failedPrecondition(`volume ${id} is still published to ${nodes}; unpublish it before deleting`);
      }
      await rds.find(endpoints.volumeDelete, { id }, ctx);
      return {};
    },

    async ControllerExpandVolume(request, ctx) {
      const id = required(request.volume_id, 'volume_id');
      if (!request.capacity_range) throw invalidArgument('capacity_range is required');
      const bounds = parseCapacityRange(request.capacity_range);
      const access = request.volume_capability
        ? requireCapability(request.volume_capability, 'volume_capability')
        : undefined;
      ctx.annotate({ volumeId: id, requiredBytes: bounds.required });
      if (!isVolumeId(id)) throw notFound(`volume ${id} does not exist`);
      ctx.lock(`volume:${id}`, `volume ${id}`);
      // The connector looks the volume up itself and never shrinks: asking it directly saves a round trip.
      // Only a limit needs the current size first: volumes never shrink, so a limit below it cannot be met.
      if (bounds.limit > 0) {
        const current = await rds.request(endpoints.volumeGet, { id }, ctx);
        if (current.sizeBytes > bounds.limit) {
          throw new RdsCsiError(
            'OUT_OF_RANGE',
            `volume ${id} is already ${current.sizeBytes} bytes, above limit_bytes ${bounds.limit}; volumes do not shrink`,
          );
        }
      }
      const resized =
        bounds.required === 0
          ? await rds.request(endpoints.volumeGet, { id }, ctx)
          : await rds.request(endpoints.volumeResize, { id, sizeBytes: sizeForRange(bounds, 0, 0) }, ctx);
      // A block volume is used as it is; a filesystem must be grown on the node.
      return { capacity_bytes: resized.sizeBytes, node_expansion_required: access?.volumeMode !== 'block' };
    },

    async ValidateVolumeCapabilities(request, ctx) {
      const id = required(request.volume_id, 'volume_id');
      if (request.volume_capabilities.length === 0) throw invalidArgument('volume_capabilities is required');
      ctx.annotate({ volumeId: id });
      if (!isVolumeId(id)) throw notFound(`volume ${id} does not exist`);
      await rds.request(endpoints.volumeGet, { id }, ctx);
      const problem =
        firstCapabilityProblem(request.volume_capabilities) ?? parameterProblem(request.parameters);
      if (problem) return { message: problem };
      return {
        confirmed: {
          volume_context: request.volume_context,
          volume_capabilities: request.volume_capabilities,
          parameters: request.parameters,
        },
      };
    },
  };
}

function parameterProblem(parameters: Record<string, string>): string | undefined {
  try {
    parseVolumeParameters(parameters);
    return undefined;
  } catch (err) {
    if (err instanceof RdsCsiError) return err.message;
    throw err;
  }
}
