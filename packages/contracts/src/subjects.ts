/**
 * Every NATS subject, KV bucket and stream name, derived from one configurable prefix so that two drivers can
 * share one NATS cluster. Nothing else in the project spells a subject.
 */
export const DEFAULT_SUBJECT_PREFIX = 'rdscsi';

const PREFIX_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export interface Names {
  readonly prefix: string;
  /** Subject of an endpoint, from its path relative to the prefix (e.g. `rds.volume.create`). */
  subject(path: string): string;
  /** Broadcast of the RDS connection state (every change and a heartbeat). */
  readonly rdsConnection: string;
  /** Node events, `<prefix>.nodes.event.<kind>.<node>`; captured by the node events stream. */
  nodeEvent(kind: string, node: string): string;
  readonly nodeEventsWildcard: string;
  readonly nodeEventsStream: string;
  readonly attachmentsBucket: string;
  readonly snapshotsBucket: string;
}

export function assertValidPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`subject prefix ${JSON.stringify(prefix)} must match ${PREFIX_PATTERN.source}`);
  }
}

/** Node names are DNS subdomains: dots would split the subject, and `_` never occurs in them, so it stands in. */
export function nodeSubjectToken(node: string): string {
  return node.replace(/\./g, '_');
}

export function names(prefix: string = DEFAULT_SUBJECT_PREFIX): Names {
  assertValidPrefix(prefix);
  const safe = prefix.replace(/-/g, '_');
  return {
    prefix,
    subject: (path) => `${prefix}.${path}`,
    rdsConnection: `${prefix}.rds.connection`,
    nodeEvent: (kind, node) => `${prefix}.nodes.event.${kind}.${nodeSubjectToken(node)}`,
    nodeEventsWildcard: `${prefix}.nodes.event.>`,
    nodeEventsStream: `${safe.toUpperCase()}_NODE_EVENTS`,
    attachmentsBucket: `${safe}_attachments`,
    snapshotsBucket: `${safe}_snapshots`,
  };
}
