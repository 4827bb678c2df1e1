import { Bus, parseBusConfig } from './index.js';
import { createMetricsRegistry, silentLogger, type Logger } from '@rds-csi/observability';

/** A bus client for tests, on its own metrics registry and a silent logger unless one is given. */
export function connectTestBus(
  url: string,
  name = 'test',
  options: { prefix?: string; logger?: Logger } = {},
): Promise<Bus> {
  return Bus.connect(
    parseBusConfig({ servers: [url], name, prefix: options.prefix, requestTimeoutMs: 10_000 }),
    {
      logger: options.logger ?? silentLogger(),
      registry: createMetricsRegistry(name),
    },
  );
}
