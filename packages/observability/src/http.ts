import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';

export interface ReadinessCheck {
  ready: boolean;
  reason?: string;
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  logger: Logger;
  /** Liveness: false only when the process is wedged and should be restarted. */
  live?: () => boolean;
  /** Readiness: whether the service can do its job right now (reason shown to operators). */
  ready: () => ReadinessCheck;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/** One HTTP server per service: `/metrics` (Prometheus), `/healthz` (liveness), `/readyz` (readiness). */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': options.registry.contentType });
        res.end(await options.registry.metrics());
      } else if (path === '/healthz') {
        const live = options.live?.() ?? true;
        res.writeHead(live ? 200 : 503, { 'content-type': 'text/plain' });
        res.end(live ? 'ok\n' : 'not live\n');
      } else if (path === '/readyz') {
        const check = options.ready();
        res.writeHead(check.ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(check) + '\n');
      } else {
        res.writeHead(404).end();
      }
    })().catch((err: unknown) => {
      options.logger.error({ err }, 'health server request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a listening TCP server (not a pipe) has an AddressInfo address.
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, 'health and metrics server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
