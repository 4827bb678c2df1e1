import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { provisionNodeEventsStream, type Bus } from '@rds-csi/bus';
import { NodeEvent, decodeMessage } from '@rds-csi/contracts';
import { backoffDelayMs } from '@rds-csi/bus';
import type { ReconcilerMetrics } from './metrics.js';

export interface NodeEventConsumerOptions {
  bus: Bus;
  durableName: string;
  metrics: ReconcilerMetrics;
  retryMinMs: number;
  retryMaxMs: number;
  /** Handles one event; a rejection asks for redelivery after a backoff. */
  handle(event: NodeEvent): Promise<void>;
}

export interface NodeEventConsumer {
  stop(): Promise<void>;
}

/** Redeliveries of an event whose handling keeps failing, before the periodic pass is left to catch up. */
const MAX_DELIVER = 20;
const ACK_WAIT_NS = 30_000 * 1_000_000;
/** "Not found" notifications after which the consumer is looked up again (and re-created if missing). */
const NOT_FOUND_LIMIT = 3;

/** Validates the body and that it was published on its own subject (a misrouted event is as bad as a garbled one). */
function decodeNodeEvent(
  bus: Bus,
  msg: JsMsg,
): { ok: true; value: NodeEvent } | { ok: false; reason: string } {
  const decoded = decodeMessage(NodeEvent, msg.data);
  if (!decoded.ok) return decoded;
  const expected = bus.names.nodeEvent(decoded.value.kind, decoded.value.node);
  if (msg.subject !== expected)
    return { ok: false, reason: `published on ${msg.subject}, expected ${expected}` };
  return decoded;
}

/**
 * The reconciler's durable consumer on the node events stream. The stream and the consumer are created before the
 * first node list is read, so an event published after that read is never missed, and events published while no
 * reconciler runs wait in the stream. Each event is acked after it was handled; malformed events are terminated.
 */
export async function startNodeEventConsumer(options: NodeEventConsumerOptions): Promise<NodeEventConsumer> {
  const { bus, durableName, metrics } = options;
  const stream = bus.names.nodeEventsStream;

  /** Creates the stream and the consumer when missing; an existing consumer keeps its position. */
  async function ensureConsumer(): Promise<void> {
    const jsm = await provisionNodeEventsStream(bus);
    const existing = await jsm.consumers.info(stream, durableName).catch(() => undefined);
    if (existing) return;
    await jsm.consumers.add(stream, {
      durable_name: durableName,
      ack_policy: AckPolicy.Explicit,
      // A new consumer starts at "now": the start-up pass covers everything before it.
      deliver_policy: DeliverPolicy.New,
      filter_subject: bus.names.nodeEventsWildcard,
      ack_wait: ACK_WAIT_NS,
      max_deliver: MAX_DELIVER,
    });
  }

  await ensureConsumer();
  const js = jetstream(bus.nc);
  let stopping = false;
  let messages: ConsumerMessages | undefined;
  const abort = new AbortController();

  async function processMessage(msg: JsMsg): Promise<void> {
    const decoded = decodeNodeEvent(bus, msg);
    if (!decoded.ok) {
      metrics.nodeEvents.inc({ kind: 'unknown', outcome: 'malformed' });
      bus.logger.warn(
        { subject: msg.subject, seq: msg.seq, reason: decoded.reason },
        'dropped malformed node event',
      );
      msg.term(decoded.reason.slice(0, 200));
      return;
    }
    const event = decoded.value;
    try {
      await options.handle(event);
      metrics.nodeEvents.inc({ kind: event.kind, outcome: 'handled' });
      msg.ack();
    } catch (err) {
      metrics.nodeEvents.inc({ kind: event.kind, outcome: 'failed' });
      const delay = backoffDelayMs(msg.info.deliveryCount, {
        minMs: options.retryMinMs,
        maxMs: options.retryMaxMs,
      });
      bus.logger.warn(
        { err, node: event.node, kind: event.kind, retryInMs: delay },
        'node event handling failed: will be redelivered',
      );
      msg.nak(delay);
    }
  }

  /**
   * consume() survives reconnects by itself, but pulls forever from a consumer or stream that was deleted; such a
   * loss (deleted, or not found several times, unlike a briefly restarting server) closes it for re-creation; an
   * existing consumer is only re-opened then, so a false alarm costs nothing.
   */
  async function closeWhenLost(current: ConsumerMessages): Promise<void> {
    let notFound = 0;
    for await (const status of current.status()) {
      if (status.type === 'consumer_not_found' || status.type === 'stream_not_found') notFound++;
      if (status.type === 'consumer_deleted' || notFound >= NOT_FOUND_LIMIT) {
        bus.logger.warn({ status: status.type }, 'node event consumer lost: re-creating it');
        await current.close();
        return;
      }
    }
  }

  async function run(): Promise<void> {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        if (attempt > 0) await ensureConsumer();
        const consumer = await js.consumers.get(stream, durableName);
        const current = await consumer.consume({ max_messages: 16 });
        messages = current;
        void closeWhenLost(current).catch(() => undefined);
        for await (const msg of current) {
          attempt = 0;
          await processMessage(msg);
        }
      } catch (err) {
        if (!stopping) bus.logger.warn({ err }, 'node event consumer failed');
      }
      if (stopping) return;
      await sleep(
        backoffDelayMs(attempt + 1, { minMs: options.retryMinMs, maxMs: options.retryMaxMs }),
        undefined,
        {
          signal: abort.signal,
        },
      ).catch(() => undefined);
    }
  }

  const loop = run();
  return {
    async stop() {
      stopping = true;
      abort.abort();
      await messages?.close().catch(() => undefined);
      await loop;
    },
  };
}
