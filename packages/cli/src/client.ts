import { PermissionViolationError, type NatsConnection } from '@nats-io/nats-core';
import { Bus, allPages, inboxPrefixFor, parseBusConfig } from '@rds-csi/bus';
import {
  RdsCsiError,
  toRdsCsiError,
  type Endpoint,
  type PageRequest,
  type RequestOf,
  type ResponseOf,
} from '@rds-csi/contracts';
import { createMetricsRegistry, silentLogger } from '@rds-csi/observability';
import { z } from 'zod';

/** How the CLI reaches NATS: as the `operator` user of deploy/nats.yaml unless told otherwise. */
export interface ConnectSettings {
  server: string;
  user: string;
  password?: string;
  prefix?: string;
  /** Deadline of each request, from when it is sent. */
  timeoutMs: number;
}

/** One service instance as its `$SRV.STATS` reply describes it (ADR-32, plus the bus framework's `readiness`). */
export const InstanceStats = z.object({
  name: z.string(),
  id: z.string(),
  version: z.string(),
  metadata: z.record(z.string(), z.string()).nullish(),
  started: z.string(),
  endpoints: z
    .array(z.object({ name: z.string(), num_requests: z.number(), num_errors: z.number() }))
    .nullish(),
  readiness: z.object({ ready: z.boolean(), reason: z.string().optional() }).optional(),
});
export type InstanceStats = z.infer<typeof InstanceStats>;

/** Discovery replies stop being awaited this long after the last one arrived. */
const DISCOVERY_STALL_MS = 300;

export class AdminClient {
  private constructor(
    private readonly bus: Bus,
    private readonly timeoutMs: number,
  ) {}

  static async connect(settings: ConnectSettings): Promise<AdminClient> {
    const config = parseBusConfig({
      servers: settings.server.split(',').map((s) => s.trim()),
      name: 'rdscsi',
      prefix: settings.prefix,
      user: settings.user,
      password: settings.password,
      // Replies arrive where deploy/nats.yaml lets the user read them: the operator on the default inbox (as the
      // NATS CLI does), every service user on its own prefix.
      inboxPrefix: settings.user === 'operator' ? '_INBOX' : inboxPrefixFor(settings.user),
      requestTimeoutMs: settings.timeoutMs,
    });
    const bus = await Bus.connect(
      config,
      { logger: silentLogger(), registry: createMetricsRegistry('rdscsi') },
      { waitForFirstServer: false },
    ).catch((err: unknown) => {
      throw new RdsCsiError('UNAVAILABLE', `cannot reach NATS at ${settings.server}: ${reason(err)}`);
    });
    return new AdminClient(bus, settings.timeoutMs);
  }

  get nc(): NatsConnection {
    return this.bus.nc;
  }

  async request<E extends Endpoint>(endpoint: E, body: RequestOf<E>): Promise<ResponseOf<E>> {
    try {
      return await this.bus.request(endpoint, body, { deadline: Date.now() + this.timeoutMs });
    } catch (err) {
      throw classify(err);
    }
  }

  /** Every page of a listing endpoint (one whose request is a page request and whose reply may carry nextCursor). */
  all<E extends Endpoint, T>(endpoint: E, items: (page: ResponseOf<E> & object) => T[]): Promise<T[]> {
    return allPages(
      (page: PageRequest) =>
        // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- callers pass listing endpoints only, whose request schemas accept a page request and whose replies are objects.
        this.request(endpoint, page as RequestOf<E>) as Promise<ResponseOf<E> & object>,
      items,
    );
  }

  /** Every instance answering `$SRV.STATS` (each service, each replica, each node plugin). */
  async instances(): Promise<InstanceStats[]> {
    const replies = await this.bus.nc
      .requestMany('$SRV.STATS', undefined, {
        strategy: 'stall',
        stall: DISCOVERY_STALL_MS,
        maxWait: this.timeoutMs,
      })
      .catch((err: unknown) => {
        throw classify(err);
      });
    const found: InstanceStats[] = [];
    for await (const msg of replies) {
      const parsed = InstanceStats.safeParse(safeJson(msg.data));
      if (parsed.success) found.push(parsed.data);
    }
    return found.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async close(): Promise<void> {
    await this.bus.close();
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A NATS permission refusal is PERMISSION_DENIED (the user lacks the subject), not an outage. */
function classify(err: unknown): RdsCsiError {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof PermissionViolationError) {
      return new RdsCsiError('PERMISSION_DENIED', `NATS refused: ${e.message}`, { cause: err });
    }
  }
  return toRdsCsiError(err);
}
