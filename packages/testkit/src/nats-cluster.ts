import { isRecord } from '@rds-csi/contracts';
import { freePort } from './ports.js';
import { NatsServerHandle } from './nats-server.js';
import { waitFor } from './wait.js';

/** The meta leader a `/jsz` reply names ('' while there is none). */
function metaLeaderOf(reply: unknown): string {
  const cluster = isRecord(reply) ? reply.meta_cluster : undefined;
  const leader = isRecord(cluster) ? cluster.leader : undefined;
  return typeof leader === 'string' ? leader : '';
}

/**
 * A real JetStream cluster of `size` nats-servers on free ports, each with its own store directory, joined by routes
 * (cluster `rdscsi-test`). Resolves once every server sees the same meta leader, so R3 buckets and streams can be
 * created at once. Each member can be killed and started again with its port and store kept.
 */
export class NatsClusterHandle {
  private constructor(
    readonly servers: NatsServerHandle[],
    private readonly monitorPorts: number[],
  ) {}

  /** Client URLs of every member, for a connection that fails over. */
  get urls(): string[] {
    return this.servers.map((s) => s.url);
  }

  static async start(size = 3): Promise<NatsClusterHandle> {
    const routePorts = await distinctFreePorts(size);
    const monitorPorts = await distinctFreePorts(size, routePorts);
    const routes = routePorts.map((p) => `nats-route://127.0.0.1:${p}`).join(', ');
    const servers: NatsServerHandle[] = [];
    try {
      for (let i = 0; i < size; i++) {
        servers.push(
          await NatsServerHandle.start({
            extraConfig: [
              `http: 127.0.0.1:${monitorPorts[i]}`,
              `cluster { name: rdscsi-test, listen: 127.0.0.1:${routePorts[i]}, routes: [${routes}] }`,
            ].join('\n'),
          }),
        );
      }
      const cluster = new NatsClusterHandle(servers, monitorPorts);
      await cluster.waitForMetaLeader();
      return cluster;
    } catch (err) {
      await Promise.all(servers.map((s) => s.dispose()));
      throw err;
    }
  }

  /** Waits until every running member is healthy and reports the same JetStream meta leader (monitoring port). */
  async waitForMetaLeader(timeoutMs = 30_000): Promise<string> {
    return waitFor(
      async () => {
        const leaders = await Promise.all(
          this.servers.map(async (server, i) => {
            if (!server.running) return 'down';
            const monitor = `http://127.0.0.1:${this.monitorPorts[i]}`;
            // healthz: this member's JetStream is current with the meta leader (503 until then).
            if (!(await fetch(`${monitor}/healthz`)).ok) return '';
            return metaLeaderOf(await (await fetch(`${monitor}/jsz`)).json());
          }),
        );
        const up = leaders.filter((l) => l !== 'down');
        return up.length > 0 && up[0] !== '' && up.every((l) => l === up[0]) ? up[0] : undefined;
      },
      { timeoutMs, message: 'a JetStream meta leader agreed by every running member' },
    );
  }

  /** Stops every member and deletes every store. */
  async dispose(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.dispose()));
  }
}

async function distinctFreePorts(count: number, taken: number[] = []): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port) && !taken.includes(port)) ports.push(port);
  }
  return ports;
}

export const startNatsCluster = (size?: number): Promise<NatsClusterHandle> => NatsClusterHandle.start(size);
