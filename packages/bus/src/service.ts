import { headers as natsHeaders, nuid, type Msg, type MsgHdrs, type Subscription } from '@nats-io/nats-core';
import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import {
  RdsCsiError,
  deadlineFromHeaders,
  decodeRequest,
  encodeError,
  encodeResult,
  toRdsCsiError,
  type Endpoint,
  type ParsedRequestOf,
  type ResponseOf,
  type ServiceName,
} from '@rds-csi/contracts';
import { DURATION_BUCKETS, metricOnce, type ReadinessCheck } from '@rds-csi/observability';
import type { Bus } from './bus.js';

/*
 * Why this is written here rather than taken from @nats-io/services: that package is a prerelease pinned to an older
 * @nats-io/nats-core than the one the project runs, so using it would load two cores. This module speaks the same
 * protocol (io.nats.micro.v1 discovery, Nats-Service-Error headers, queue group "q") on the project's one core, and
 * adds what the project needs: typed validation, reply-size bounds, bounded concurrency and a draining stop.
 */

/** What a handler knows about the request besides its body. */
export interface HandlerContext {
  /** Absolute deadline (epoch ms): the caller's, or the bus default when it sent none. */
  deadline: number;
  subject: string;
  /** The largest reply the connection can carry (the server's max_payload less header room); size pages from it. */
  maxReplyBytes: number;
}

export interface EndpointHandler {
  endpoint: Endpoint;
  handle(data: Uint8Array, ctx: HandlerContext): Promise<Uint8Array>;
}

/** Binds a typed handler to an endpoint: the request is decoded and validated before the handler sees it. */
export function handle<E extends Endpoint>(
  endpoint: E,
  fn: (request: ParsedRequestOf<E>, ctx: HandlerContext) => Promise<ResponseOf<E>>,
): EndpointHandler {
  return {
    endpoint,
    async handle(data, ctx) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- decodeRequest parsed it with endpoint.request, whose output ParsedRequestOf<E> is.
      const request = decodeRequest(endpoint.request, data) as ParsedRequestOf<E>;
      return encodeResult(await fn(request, ctx));
    },
  };
}

export interface ServiceInfo {
  name: ServiceName;
  version: string;
  description: string;
  /** Shown by `nats micro info` (ADR-32 metadata): what tells instances of one service apart. */
  metadata?: Record<string, string>;
  /**
   * This instance's readiness (what its /readyz says), sent in every `$SRV.STATS` reply as `readiness` beside the
   * ADR-32 fields, so `rdscsi status` can tell each instance's state over NATS alone.
   */
  readiness?: () => ReadinessCheck;
}

export interface RunningService {
  readonly id: string;
  /** Stops taking requests and answers every request already received (in flight or queued) before resolving. */
  stop(): Promise<void>;
}

/**
 * Per endpoint: at most `maxConcurrent` handlers run at once and at most `maxQueued` requests wait; a request beyond
 * both is answered at once with UNAVAILABLE (retryable), so a burst costs bounded memory and never a timeout storm.
 */
export interface ServiceLimits {
  maxConcurrent: number;
  maxQueued: number;
}

export const DEFAULT_SERVICE_LIMITS: ServiceLimits = { maxConcurrent: 32, maxQueued: 256 };

/** Header bytes reserved under max_payload for the framework's error headers. */
const HEADER_ROOM = 512;

interface EndpointStats {
  name: string;
  subject: string;
  queue_group: string;
  num_requests: number;
  num_errors: number;
  last_error: string;
  processing_time: number;
  average_processing_time: number;
}

/** Queue group of every endpoint, as the NATS services framework uses, so replicas share the load. */
const QUEUE_GROUP = 'q';

function serviceMetrics(registry: Registry) {
  return {
    requests: metricOnce(
      registry,
      'rdscsi_bus_requests_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_bus_requests_total',
          help: 'Requests handled by this service, by endpoint and result code',
          labelNames: ['endpoint', 'code'] as const,
          registers,
        }),
    ),
    duration: metricOnce(
      registry,
      'rdscsi_bus_request_duration_seconds',
      (registers) =>
        new Histogram({
          name: 'rdscsi_bus_request_duration_seconds',
          help: 'Time to handle a request, by endpoint',
          labelNames: ['endpoint'] as const,
          buckets: DURATION_BUCKETS,
          registers,
        }),
    ),
  };
}

function parseDeadline(msg: Msg, fallbackMs: number): number {
  return deadlineFromHeaders((name) => msg.headers?.get(name), Date.now(), fallbackMs);
}

/**
 * Registers a service with the NATS services framework protocol ($SRV.PING/INFO/STATS, so `nats micro ls|info|stats`
 * shows it) and serves its endpoints in the shared queue group. Handler failures become error replies with the
 * RdsCsiError code, also set as the framework's Nats-Service-Error headers; nothing a caller sends can crash it.
 */
export async function startService(
  bus: Bus,
  info: ServiceInfo,
  handlers: EndpointHandler[],
  limits: ServiceLimits = DEFAULT_SERVICE_LIMITS,
): Promise<RunningService> {
  const id = nuid.next();
  const started = new Date().toISOString();
  const metrics = serviceMetrics(bus.registry);
  const stats = new Map<string, EndpointStats>();
  const endpointSubs: Subscription[] = [];
  const discoverySubs: Subscription[] = [];
  const inFlight = new Set<Promise<void>>();

  for (const h of handlers) {
    const subject = bus.names.subject(h.endpoint.path);
    const s: EndpointStats = {
      name: h.endpoint.name,
      subject,
      queue_group: QUEUE_GROUP,
      num_requests: 0,
      num_errors: 0,
      last_error: '',
      processing_time: 0,
      average_processing_time: 0,
    };
    stats.set(subject, s);
    const gate = new Gate(limits);
    endpointSubs.push(
      bus.nc.subscribe(subject, {
        queue: QUEUE_GROUP,
        callback: (err, msg) => {
          if (err) {
            bus.logger.error({ err, subject }, 'endpoint subscription error');
            return;
          }
          track(admit(gate, h, msg, s));
        },
      }),
    );
  }

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  async function admit(gate: Gate, h: EndpointHandler, msg: Msg, s: EndpointStats): Promise<void> {
    const admitted = gate.enter();
    if (!admitted) {
      const busy = new RdsCsiError('UNAVAILABLE', `${s.name} is at its concurrency and queue bound; retry`);
      finish(msg, s, process.hrtime.bigint(), errorReply(busy, s));
      return;
    }
    await admitted;
    try {
      await serve(h, msg, s);
    } finally {
      gate.leave();
    }
  }

  function maxReplyBytes(): number {
    return (bus.nc.info?.max_payload ?? 1024 * 1024) - HEADER_ROOM;
  }

  async function serve(h: EndpointHandler, msg: Msg, s: EndpointStats): Promise<void> {
    const begin = process.hrtime.bigint();
    let reply: Reply;
    try {
      const data = await h.handle(msg.data, {
        deadline: parseDeadline(msg, bus.config.requestTimeoutMs),
        subject: msg.subject,
        maxReplyBytes: maxReplyBytes(),
      });
      reply =
        data.length <= maxReplyBytes()
          ? { code: 'OK', data }
          : errorReply(
              new RdsCsiError(
                'RESOURCE_EXHAUSTED',
                `reply of ${data.length} bytes exceeds the ${maxReplyBytes()}-byte bound; page the request`,
              ),
              s,
            );
    } catch (thrown) {
      const err = toRdsCsiError(thrown);
      if (err.code === 'INTERNAL' && !(thrown instanceof RdsCsiError)) {
        bus.logger.error({ err: thrown, subject: msg.subject }, 'endpoint failed unexpectedly');
      }
      reply = errorReply(err, s);
    }
    finish(msg, s, begin, reply);
  }

  function errorReply(err: RdsCsiError, s: EndpointStats): Reply {
    s.num_errors++;
    s.last_error = `${err.code}: ${err.message}`;
    const headers = natsHeaders();
    // A header value cannot hold a line break (some NATS client errors span lines): without this, no reply at all.
    headers.set('Nats-Service-Error', err.message.replace(/[\r\n]+/g, ' ').slice(0, 200));
    headers.set('Nats-Service-Error-Code', String(err.grpcStatus));
    return { code: err.code, data: encodeError(err), headers };
  }

  function finish(msg: Msg, s: EndpointStats, begin: bigint, reply: Reply): void {
    const elapsedNs = Number(process.hrtime.bigint() - begin);
    s.num_requests++;
    s.processing_time += elapsedNs;
    s.average_processing_time = Math.round(s.processing_time / s.num_requests);
    metrics.requests.inc({ endpoint: s.name, code: reply.code });
    metrics.duration.observe({ endpoint: s.name }, elapsedNs / 1e9);
    if (!msg.reply) return;
    try {
      msg.respond(reply.data, reply.headers ? { headers: reply.headers } : undefined);
    } catch (err) {
      // A closed connection or a reply the server refuses: the caller times out; this process carries on.
      bus.logger.warn({ err, subject: msg.subject }, 'reply could not be sent');
    }
  }

  const base = () => ({ name: info.name, id, version: info.version, metadata: info.metadata ?? {} });
  const discovery: Record<string, () => object> = {
    PING: () => ({ type: 'io.nats.micro.v1.ping_response', ...base() }),
    INFO: () => ({
      type: 'io.nats.micro.v1.info_response',
      ...base(),
      description: info.description,
      endpoints: [...stats.values()].map((s) => ({
        name: s.name,
        subject: s.subject,
        queue_group: s.queue_group,
        metadata: null,
      })),
    }),
    STATS: () => ({
      type: 'io.nats.micro.v1.stats_response',
      ...base(),
      started,
      endpoints: [...stats.values()],
      ...(info.readiness ? { readiness: info.readiness() } : {}),
    }),
  };
  for (const [verb, body] of Object.entries(discovery)) {
    for (const subject of [`$SRV.${verb}`, `$SRV.${verb}.${info.name}`, `$SRV.${verb}.${info.name}.${id}`]) {
      discoverySubs.push(
        bus.nc.subscribe(subject, {
          callback: (err, msg) => {
            if (err) return;
            try {
              msg.respond(new TextEncoder().encode(JSON.stringify(body())));
            } catch (e) {
              bus.logger.warn({ err: e, subject }, 'discovery reply could not be sent');
            }
          },
        }),
      );
    }
  }
  await bus.nc.flush();
  bus.logger.info({ service: info.name, id, endpoints: [...stats.keys()] }, 'service registered');

  return {
    id,
    async stop() {
      for (const sub of discoverySubs) sub.unsubscribe();
      if (!bus.nc.isClosed()) {
        // drain: the server stops routing to us, and every message already delivered reaches its callback.
        await Promise.all(endpointSubs.map((sub) => sub.drain().catch(() => sub.unsubscribe())));
      }
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      if (!bus.nc.isClosed()) await bus.nc.flush().catch(() => undefined);
    },
  };
}

interface Reply {
  code: string;
  data: Uint8Array;
  headers?: MsgHdrs;
}

/** Admission to one endpoint: `maxConcurrent` run, `maxQueued` wait in arrival order, the rest are refused. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: ServiceLimits) {}

  /** Resolves when the request may run; undefined when the queue is full (refuse it). */
  enter(): Promise<void> | undefined {
    if (this.active < this.limits.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.maxQueued) return undefined;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting request, or frees it. */
  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
