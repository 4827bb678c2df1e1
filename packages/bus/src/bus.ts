import {
  headers as natsHeaders,
  RequestError,
  TimeoutError,
  type NatsConnection,
  type Msg,
} from '@nats-io/nats-core';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import {
  RdsCsiError,
  deadlineHeaders,
  decodeMessage,
  decodeReply,
  encodeMessage,
  encodeRequest,
  names as makeNames,
  type Endpoint,
  type Names,
  type RequestOf,
  type ResponseOf,
  errorMessage,
} from '@rds-csi/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from './backoff.js';
import { openConnection } from './connection.js';
import type { BusConfig } from './config.js';
import type { z } from 'zod';

export interface RequestOptions {
  /** Absolute deadline (epoch ms), usually the caller's gRPC deadline; the default timeout applies otherwise. */
  deadline?: number;
}

export interface BusDeps {
  logger: Logger;
  registry: Registry;
}

const BACKGROUND_CONNECT_BACKOFF = { minMs: 1000, maxMs: 30_000 };

/** A subscription handle that stops delivery. */
export interface Unsubscribe {
  (): void;
}

/** The project's one way onto NATS: typed, validated requests and messages over a connection that never gives up. */
export class Bus {
  private constructor(
    readonly nc: NatsConnection,
    readonly config: BusConfig,
    readonly names: Names,
    readonly logger: Logger,
    readonly isConnected: () => boolean,
    readonly registry: Registry,
  ) {}

  /** Connects; waits for a first server rather than failing when NATS starts after this service. */
  static async connect(
    config: BusConfig,
    deps: BusDeps,
    options: { waitForFirstServer?: boolean } = {},
  ): Promise<Bus> {
    const names = makeNames(config.prefix);
    const { nc, isConnected } = await openConnection(
      config,
      deps.logger,
      deps.registry,
      options.waitForFirstServer ?? true,
    );
    return new Bus(nc, config, names, deps.logger, isConnected, deps.registry);
  }

  /**
   * Connects in the background for a process that must work without NATS: retries on the bus backoff until
   * connected (resolves the bus) or aborted (resolves undefined). Never rejects.
   */
  static async connectInBackground(
    config: BusConfig,
    deps: BusDeps,
    signal: AbortSignal,
  ): Promise<Bus | undefined> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        const bus = await Bus.connect(config, deps, { waitForFirstServer: false });
        if (!signal.aborted) return bus;
        await bus.close();
      } catch (err) {
        deps.logger.warn({ err: errorMessage(err), attempt }, 'NATS unreachable; retrying in the background');
        await sleep(backoffDelayMs(attempt, BACKGROUND_CONNECT_BACKOFF), undefined, { signal }).catch(
          () => undefined,
        );
      }
    }
    return undefined;
  }

  /**
   * Sends a request to an endpoint and returns its validated result. The remote error is rethrown with its code;
   * no responders and timeouts become UNAVAILABLE, an expired deadline DEADLINE_EXCEEDED.
   */
  async request<E extends Endpoint>(
    endpoint: E,
    body: RequestOf<E>,
    options: RequestOptions = {},
  ): Promise<ResponseOf<E>> {
    const subject = this.names.subject(endpoint.path);
    const now = Date.now();
    const deadline = options.deadline ?? now + this.config.requestTimeoutMs;
    const timeout = deadline - now;
    if (timeout <= 0)
      throw new RdsCsiError('DEADLINE_EXCEEDED', `deadline passed before ${subject} was sent`);
    const headers = natsHeaders();
    for (const [name, value] of Object.entries(deadlineHeaders(deadline, now))) headers.set(name, value);
    let reply: Msg;
    try {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- every endpoint request schema is a z.object, so its input is an object.
      reply = await this.nc.request(subject, encodeRequest(body as object), { timeout, headers });
    } catch (err) {
      throw requestFailure(subject, err);
    }
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- decodeReply parsed it with endpoint.response, whose output ResponseOf<E> is; TS cannot follow E.
    return decodeReply(endpoint.response, reply.data) as ResponseOf<E>;
  }

  publish(subject: string, body: object): void {
    this.nc.publish(subject, encodeMessage(body));
  }

  /**
   * Subscribes to published messages, validating each one; malformed messages are logged and dropped, and a
   * throwing handler is logged, never allowed to end the subscription.
   */
  subscribe<S extends z.ZodType>(
    subject: string,
    schema: S,
    handler: (value: z.output<S>, msg: Msg) => void | Promise<void>,
  ): Unsubscribe {
    const sub = this.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ err, subject }, 'subscription error');
          return;
        }
        const decoded = decodeMessage(schema, msg.data);
        if (!decoded.ok) {
          this.logger.warn({ subject: msg.subject, reason: decoded.reason }, 'dropped malformed message');
          return;
        }
        Promise.resolve()
          .then(() => handler(decoded.value, msg))
          .catch((e: unknown) =>
            this.logger.error({ err: e, subject: msg.subject }, 'message handler failed'),
          );
      },
    });
    return () => sub.unsubscribe();
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    try {
      await this.nc.drain();
    } catch {
      await this.nc.close();
    }
  }
}

function requestFailure(subject: string, err: unknown): RdsCsiError {
  if (err instanceof RequestError && err.isNoResponders()) {
    return new RdsCsiError('UNAVAILABLE', `no service answers ${subject}`, { cause: err });
  }
  if (err instanceof TimeoutError || (err instanceof RequestError && err.cause instanceof TimeoutError)) {
    return new RdsCsiError('UNAVAILABLE', `${subject} timed out`, { cause: err });
  }
  return new RdsCsiError('UNAVAILABLE', `request on ${subject} failed: ${errorMessage(err)}`, {
    cause: err,
  });
}
