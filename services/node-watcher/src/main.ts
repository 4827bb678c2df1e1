import { createLogger, createMetricsRegistry, onShutdownSignal } from '@rds-csi/observability';
import { configFromEnv } from './config.js';
import { startNodeWatcher } from './node-watcher.js';

const logger = createLogger('node-watcher');
try {
  const watcher = await startNodeWatcher(configFromEnv(process.env), {
    logger,
    registry: createMetricsRegistry('node-watcher'),
  });
  onShutdownSignal(logger, () => watcher.stop());
} catch (err) {
  logger.fatal({ err }, 'node-watcher failed to start');
  process.exit(1);
}
