import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import type { Logger } from '@rds-csi/observability';
import { NodeEvent, decodeMessage, encodeMessage } from '@rds-csi/contracts';
import { provisionNodeEventsStream, type Bus } from '@rds-csi/bus';
import { backoffDelayMs, type BackoffPolicy } from '@rds-csi/bus';
import type { NodeWatcherMetrics } from './metrics.js';
import type { StoredNodeEvent, Transition } from './transitions.js';

/** Stored with each event: the uid of the Node object, so a restarted watcher can tell a re-created node apart. */
export const NODE_UID_HEADER = 'Rdscsi-Node-Uid';

/** How long to wait for JetStream to acknowledge a publish before retrying it. */
const PUBLISH_ACK_TIMEOUT_MS = 5_000;

/**
 * Provisions the node events stream and reads back the last event of every subject (node x kind), oldest first:
 * what the stream already says about every node. Malformed messages are logged and skipped.
 */
export async function readStoredNodeEvents(bus: Bus, logger: Logger): Promise<StoredNodeEvent[]> {
  const jsm = await provisionNodeEventsStream(bus);
  const stream = bus.names.nodeEventsStream;
  if ((await jsm.streams.info(stream)).state.messages === 0) return [];
  const consumer = await jetstream(bus.nc).consumers.get(stream, {
    filter_subjects: bus.names.nodeEventsWildcard,
    deliver_policy: DeliverPolicy.LastPerSubject,
  });
  const stored: (StoredNodeEvent & { seq: number })[] = [];
  try {
    for (;;) {
      const msg = await consumer.next({ expires: 5_000 });
      if (!msg) break;
      const decoded = decodeMessage(NodeEvent, msg.data);
      if (decoded.ok)
        stored.push({
          event: decoded.value,
          uid: msg.headers?.get(NODE_UID_HEADER) || decoded.value.uid,
          seq: msg.seq,
        });
      else
        logger.warn(
          { subject: msg.subject, seq: msg.seq, reason: decoded.reason },
          'skipped malformed stored node event',
        );
      if (msg.info.pending === 0) break;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
  return stored.sort((a, b) => a.seq - b.seq).map(({ event, uid }) => ({ event, uid }));
}

/**
 * Publishes node events to JetStream in order, one at a time, each until the stream acknowledges it: a failed
 * publish (NATS down, no stream leader) is logged, counted and retried with backoff, never dropped. The message ID
 * lets JetStream discard the copy when a retry follows a publish whose acknowledgement was lost.
 */
export class NodeEventPublisher {
  private readonly queue: Transition[] = [];
  private readonly js: JetStreamClient;
  private readonly stopping = new AbortController();
  private draining = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: Bus,
    private readonly metrics: NodeWatcherMetrics,
    private readonly logger: Logger,
    private readonly backoff: BackoffPolicy,
  ) {
    this.js = jetstream(bus.nc);
  }

  enqueue(transitions: readonly Transition[]): void {
    if (this.stopping.signal.aborted) return;
    for (const transition of transitions) {
      const checked = NodeEvent.safeParse(transition.event);
      if (!checked.success) {
        this.logger.error(
          { event: transition.event, issues: checked.error.issues },
          'refusing to publish an invalid node event',
        );
        continue;
      }
      this.queue.push(transition);
    }
    this.metrics.publishQueue.set(this.queue.length);
    if (this.queue.length > 0 && !this.draining) {
      this.draining = true;
      this.drained = this.drain();
    }
  }

  /** Stops publishing; events still queued are published by the next watcher, which re-reads the stream. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.drained;
  }

  /** Publishes until the queue is empty. `draining` is cleared in the very tick the loop finds it empty. */
  private async drain(): Promise<void> {
    let failures = 0;
    try {
      for (let next = this.queue[0]; next && !this.stopping.signal.aborted; next = this.queue[0]) {
        try {
          await this.publish(next);
          this.queue.shift();
          this.metrics.publishQueue.set(this.queue.length);
          failures = 0;
        } catch (err) {
          if (this.stopping.signal.aborted) return;
          failures += 1;
          this.metrics.publishFailures.inc();
          const retryInMs = backoffDelayMs(failures, this.backoff);
          this.logger.warn(
            { err, node: next.event.node, kind: next.event.kind, failures, retryInMs },
            'node event publish failed; retrying',
          );
          await sleep(retryInMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async publish(transition: Transition): Promise<void> {
    const { event, msgId, uid } = transition;
    const headers = natsHeaders();
    if (uid) headers.set(NODE_UID_HEADER, uid);
    const ack = await this.js.publish(
      this.bus.names.nodeEvent(event.kind, event.node),
      encodeMessage(event),
      {
        msgID: msgId,
        headers,
        timeout: PUBLISH_ACK_TIMEOUT_MS,
      },
    );
    if (ack.duplicate) {
      this.metrics.eventsDuplicate.inc({ kind: event.kind });
      this.logger.info({ node: event.node, kind: event.kind, msgId }, 'node event was already stored');
    } else {
      this.metrics.eventsPublished.inc({ kind: event.kind });
      this.logger.info(
        { node: event.node, kind: event.kind, notReadySince: event.notReadySince, seq: ack.seq },
        'node event published',
      );
    }
  }
}
