import {
  handle,
  pageOf,
  startService,
  type Bus,
  type EndpointHandler,
  type HandlerContext,
  type RunningService,
} from '@rds-csi/bus';
import {
  RdsCsiError,
  endpoints,
  notFound,
  sameContentSource,
  type ConnectionState,
  type Endpoint,
  type ParsedRequestOf,
  type ResponseOf,
  type Snapshot,
  type Volume,
} from '@rds-csi/contracts';
import { connectTestBus } from '@rds-csi/bus/testing';
import {
  DEFAULT_NVME_TCP_PORT,
  nqnFor,
  resolveVolumeDir,
  roundUpSize,
  volumeFilePath,
} from '@rds-csi/routeros';

/** What the fake connector received: which endpoint, the validated body, and the deadline the caller sent. */
export interface Received {
  endpoint: string;
  body: unknown;
  deadline: number;
}

const BASE_PATH = '/storage-pool/rdscsi';

/**
 * fakeConnector: an in-test stand-in for the rds-connector, answering its endpoints with the real contracts (every
 * request is validated by the bus against the contract schemas before it gets here) over a small in-memory RDS, with
 * sizes, paths, NQNs and ports from the same pure RouterOS rules (@rds-csi/routeros) the connector uses. It
 * records every request so tests can assert that bad input never reached the RDS. The real connector and the
 * RouterOS simulator are exercised by the end-to-end tests.
 */
export class FakeConnector {
  readonly volumes = new Map<string, Volume>();
  readonly snapshots = new Map<string, Snapshot>();
  readonly received: Received[] = [];
  freeBytes = 500 * 1024 ** 3;
  private state: ConnectionState['state'] = 'connected';
  private readonly since = new Date().toISOString();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly holds = new Map<string, Promise<void>>();

  private constructor(
    private readonly bus: Bus,
    private service: RunningService | undefined,
    private readonly heartbeatMs: number,
  ) {}

  static async start(natsUrl: string, heartbeatMs: number): Promise<FakeConnector> {
    const bus = await connectTestBus(natsUrl, 'fake-rds-connector');
    const connector = new FakeConnector(bus, undefined, heartbeatMs);
    connector.service = await startService(
      bus,
      { name: 'rds-connector', version: 'test', description: 'fakeConnector' },
      connector.handlers(),
    );
    connector.startHeartbeat();
    return connector;
  }

  /** Requests that reached the RDS side (the state query is not an RDS operation). */
  rdsRequests(): Received[] {
    return this.received.filter((r) => r.endpoint !== endpoints.connectionGet.name);
  }

  /** Holds requests to `endpoint` until the returned function is called (to keep an operation in flight). */
  hold(endpoint: Endpoint): () => void {
    let release!: () => void;
    this.holds.set(endpoint.name, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(endpoint.name);
      release();
    };
  }

  /** The RDS goes away (or comes back): the state is broadcast at once, RDS requests fail fast with UNAVAILABLE. */
  setRdsConnected(connected: boolean): void {
    this.state = connected ? 'connected' : 'disconnected';
    this.broadcast();
  }

  /** The connector falls silent (a dead process sends no heartbeat) or starts talking again. */
  setHeartbeat(on: boolean): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (on) this.startHeartbeat();
  }

  async stop(): Promise<void> {
    this.setHeartbeat(false);
    for (const name of [...this.holds.keys()]) this.holds.delete(name);
    await this.service?.stop();
    await this.bus.close();
  }

  private connectionState(): ConnectionState {
    const at = new Date().toISOString();
    return {
      state: this.state,
      since: this.since,
      at,
      attempt: 0,
      address: '192.0.2.10',
      ...(this.state === 'connected' ? {} : { lastError: 'connection refused' }),
    };
  }

  private broadcast(): void {
    this.bus.publish(this.bus.names.rdsConnection, this.connectionState());
  }

  private startHeartbeat(): void {
    this.broadcast();
    this.heartbeat = setInterval(() => this.broadcast(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private on<E extends Endpoint>(
    endpoint: E,
    fn: (request: ParsedRequestOf<E>, ctx: HandlerContext) => ResponseOf<E>,
  ): EndpointHandler {
    return handle(endpoint, async (request, ctx) => {
      this.received.push({ endpoint: endpoint.name, body: request, deadline: ctx.deadline });
      await this.holds.get(endpoint.name);
      if (this.state !== 'connected' && endpoint.name !== endpoints.connectionGet.name) {
        throw new RdsCsiError('UNAVAILABLE', 'RDS is not connected');
      }
      return fn(request, ctx);
    });
  }

  private volume(id: string): Volume {
    const volume = this.volumes.get(id);
    if (!volume) throw notFound(`volume ${id} not found`);
    return volume;
  }

  private snapshot(id: string): Snapshot {
    const snapshot = this.snapshots.get(id);
    if (!snapshot) throw notFound(`snapshot ${id} not found`);
    return snapshot;
  }

  private allocate(bytes: number): void {
    if (bytes > this.freeBytes) throw new RdsCsiError('RESOURCE_EXHAUSTED', 'failure: not enough space');
    this.freeBytes -= bytes;
  }

  private handlers(): EndpointHandler[] {
    return [
      this.on(endpoints.volumeCreate, (req) => {
        const filePath = volumeFilePath(resolveVolumeDir(BASE_PATH, req.volumePath), req.id);
        const nvmeTcpPort = req.nvmePort ?? DEFAULT_NVME_TCP_PORT;
        const source =
          req.source && (req.source.type === 'snapshot' ? this.snapshots : this.volumes).get(req.source.id);
        // Like the real connector: a copy takes the larger of the request and its source.
        const sizeBytes = Math.max(
          req.sizeBytes === undefined ? 0 : roundUpSize(req.sizeBytes),
          source?.sizeBytes ?? 0,
        );
        const existing = this.volumes.get(req.id);
        // Like the real connector: an identical request is answered with the volume, anything else ALREADY_EXISTS.
        if (existing) {
          const identical =
            (sizeBytes === 0 || existing.sizeBytes === sizeBytes) &&
            existing.filePath === filePath &&
            existing.nvmeTcpPort === nvmeTcpPort &&
            sameContentSource(existing.source, req.source);
          if (identical) return existing;
          throw new RdsCsiError('ALREADY_EXISTS', `volume ${req.id} exists`);
        }
        if (req.source && !source) throw notFound(`${req.source.type} ${req.source.id} not found`);
        if (req.limitBytes !== undefined && sizeBytes > req.limitBytes)
          throw new RdsCsiError('OUT_OF_RANGE', `the source needs ${sizeBytes} bytes, above the limit`);
        const volume: Volume = {
          id: req.id,
          filePath,
          sizeBytes,
          nqn: nqnFor(req.id),
          nvmeTcpPort,
          exported: true,
          ...(req.source ? { source: req.source } : {}),
        };
        this.allocate(volume.sizeBytes);
        this.volumes.set(req.id, volume);
        return volume;
      }),
      this.on(endpoints.volumeDelete, (req) => {
        const volume = this.volume(req.id);
        this.volumes.delete(req.id);
        this.freeBytes += volume.sizeBytes;
        return { deleted: true };
      }),
      this.on(endpoints.volumeGet, (req) => this.volume(req.id)),
      this.on(endpoints.volumeList, (req, ctx) => {
        // Like the real connector, lists leave the content source out.
        const listed = [...this.volumes.values()].map(({ source: _source, ...volume }) => volume);
        const page = pageOf(listed, (v) => v.id, req, ctx.maxReplyBytes);
        return { volumes: page.items, nextCursor: page.nextCursor };
      }),
      this.on(endpoints.volumeResize, (req) => {
        const volume = this.volume(req.id);
        const sizeBytes = roundUpSize(req.sizeBytes);
        if (sizeBytes > volume.sizeBytes) this.allocate(sizeBytes - volume.sizeBytes);
        const resized = { ...volume, sizeBytes: Math.max(volume.sizeBytes, sizeBytes) };
        this.volumes.set(req.id, resized);
        return resized;
      }),
      this.on(endpoints.snapshotCreate, (req) => {
        const existing = this.snapshots.get(req.id);
        if (existing?.sourceVolumeId === req.sourceVolumeId) return existing;
        if (existing) throw new RdsCsiError('ALREADY_EXISTS', `snapshot ${req.id} exists`);
        const source = this.volume(req.sourceVolumeId);
        this.allocate(source.sizeBytes);
        const snapshot: Snapshot = {
          id: req.id,
          sourceVolumeId: source.id,
          sizeBytes: source.sizeBytes,
          createdAt: new Date().toISOString(),
          filePath: volumeFilePath(BASE_PATH, req.id),
          readyToUse: true,
        };
        this.snapshots.set(req.id, snapshot);
        return snapshot;
      }),
      this.on(endpoints.snapshotDelete, (req) => {
        const snapshot = this.snapshot(req.id);
        this.snapshots.delete(req.id);
        this.freeBytes += snapshot.sizeBytes;
        return { deleted: true };
      }),
      this.on(endpoints.snapshotGet, (req) => this.snapshot(req.id)),
      this.on(endpoints.snapshotList, (req, ctx) => {
        const page = pageOf([...this.snapshots.values()], (s) => s.id, req, ctx.maxReplyBytes);
        return { snapshots: page.items, nextCursor: page.nextCursor };
      }),
      this.on(endpoints.capacity, () => ({ totalBytes: 1024 ** 4, freeBytes: this.freeBytes })),
      this.on(endpoints.connectionGet, () => this.connectionState()),
    ];
  }
}
