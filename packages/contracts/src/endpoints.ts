import type { z } from 'zod';
import * as m from './messages.js';
import { PageRequest } from './paging.js';

/** Services registered with the NATS services framework (`nats micro ls`). */
export type ServiceName = 'rds-connector' | 'reconciler' | 'node-watcher' | 'csi-gateway';

/** A request-reply endpoint: its subject path (below the prefix), owner, and both message schemas. */
export interface Endpoint<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly service: ServiceName;
  /** Endpoint name in `nats micro info`. */
  readonly name: string;
  /** Subject below the prefix, e.g. `rds.volume.create`. */
  readonly path: string;
  readonly request: Req;
  readonly response: Res;
}

export type RequestOf<E extends Endpoint> = z.input<E['request']>;
export type ParsedRequestOf<E extends Endpoint> = z.output<E['request']>;
export type ResponseOf<E extends Endpoint> = z.output<E['response']>;

function endpoint<Req extends z.ZodType, Res extends z.ZodType>(
  service: ServiceName,
  path: string,
  request: Req,
  response: Res,
): Endpoint<Req, Res> {
  return { service, name: path.split('.').slice(1).join('-') || path, path, request, response };
}

export const endpoints = {
  volumeCreate: endpoint('rds-connector', 'rds.volume.create', m.VolumeCreateRequest, m.Volume),
  volumeDelete: endpoint('rds-connector', 'rds.volume.delete', m.VolumeRef, m.DeleteResult),
  volumeGet: endpoint('rds-connector', 'rds.volume.get', m.VolumeRef, m.Volume),
  volumeList: endpoint('rds-connector', 'rds.volume.list', PageRequest, m.VolumeList),
  volumeResize: endpoint('rds-connector', 'rds.volume.resize', m.VolumeResizeRequest, m.Volume),
  volumeFence: endpoint('rds-connector', 'rds.volume.fence', m.VolumeFenceRequest, m.VolumeFence),
  snapshotCreate: endpoint('rds-connector', 'rds.snapshot.create', m.SnapshotCreateRequest, m.Snapshot),
  snapshotDelete: endpoint('rds-connector', 'rds.snapshot.delete', m.SnapshotRef, m.DeleteResult),
  snapshotGet: endpoint('rds-connector', 'rds.snapshot.get', m.SnapshotRef, m.Snapshot),
  snapshotList: endpoint('rds-connector', 'rds.snapshot.list', PageRequest, m.SnapshotList),
  snapshotAdopt: endpoint(
    'rds-connector',
    'rds.snapshot.adopt',
    m.SnapshotAdoptRequest,
    m.SnapshotAdoptResult,
  ),
  capacity: endpoint('rds-connector', 'rds.capacity', m.CapacityRequest, m.Capacity),
  connectionGet: endpoint('rds-connector', 'rds.connection.get', m.Empty.passthrough(), m.ConnectionState),

  attachPublish: endpoint('reconciler', 'attach.publish', m.PublishRequest, m.Attachment),
  attachUnpublish: endpoint('reconciler', 'attach.unpublish', m.UnpublishRequest, m.UnpublishResult),
  attachGet: endpoint('reconciler', 'attach.get', m.AttachmentRef, m.Attachment),
  attachList: endpoint('reconciler', 'attach.list', m.AttachmentListRequest, m.AttachmentList),
  attachRelease: endpoint('reconciler', 'attach.release', m.ReleaseRequest, m.ReleaseResult),
  reconcileTrigger: endpoint('reconciler', 'reconcile.trigger', m.ReconcileRequest, m.ReconcileReport),
  orphansReport: endpoint('reconciler', 'orphans.report', PageRequest, m.OrphanReport),

  nodesSnapshot: endpoint('node-watcher', 'nodes.snapshot', PageRequest, m.NodeSnapshot),
  nodesGet: endpoint('node-watcher', 'nodes.get', m.NodeRef, m.NodeState),
} as const;

export type EndpointKey = keyof typeof endpoints;
