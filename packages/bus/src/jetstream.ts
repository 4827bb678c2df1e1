import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { RdsCsiError, errorMessage } from '@rds-csi/contracts';
import type { Bus } from './bus.js';

export interface KvSpec {
  bucket: string;
  description: string;
  /** Revisions kept per key; a few help operators see recent changes with `nats kv history`. */
  history?: number;
}

/** Creates the KV bucket if missing (idempotent: an existing bucket is opened as it is) with the bus replicas. */
export async function ensureKv(bus: Bus, spec: KvSpec): Promise<KV> {
  try {
    return await new Kvm(bus.nc).create(spec.bucket, {
      history: spec.history ?? 5,
      replicas: bus.config.replicas,
      storage: StorageType.File,
      description: spec.description,
    });
  } catch (err) {
    throw new RdsCsiError('UNAVAILABLE', `cannot open KV bucket ${spec.bucket}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

export interface StreamSpec {
  name: string;
  subjects: string[];
  description: string;
  /** How long messages are kept (ms); old node events are useless after a while. */
  maxAgeMs: number;
}

/** Creates the stream if missing or brings its subjects and limits up to date; never drops stored messages. */
export async function ensureStream(bus: Bus, spec: StreamSpec): Promise<JetStreamManager> {
  try {
    const jsm = await jetstreamManager(bus.nc);
    const config = {
      name: spec.name,
      subjects: spec.subjects,
      description: spec.description,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: bus.config.replicas,
      max_age: spec.maxAgeMs * 1_000_000,
    };
    const existing = await jsm.streams.info(spec.name).catch(() => undefined);
    if (existing) await jsm.streams.update(spec.name, config);
    else await jsm.streams.add(config);
    return jsm;
  } catch (err) {
    throw new RdsCsiError('UNAVAILABLE', `cannot provision stream ${spec.name}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/** Node events are only useful for a while: a reconciler that was down longer does a full pass anyway. */
const NODE_EVENTS_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * The node events stream, provisioned the same way by its publisher (node-watcher) and its consumer (reconciler),
 * whichever starts first, so events are stored from the first one on.
 */
export function provisionNodeEventsStream(bus: Bus): Promise<JetStreamManager> {
  return ensureStream(bus, {
    name: bus.names.nodeEventsStream,
    subjects: [bus.names.nodeEventsWildcard],
    description: 'rds-csi node events (ready, not-ready, deleted, out-of-service) from node-watcher',
    maxAgeMs: NODE_EVENTS_MAX_AGE_MS,
  });
}
