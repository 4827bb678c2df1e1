import { createLogger, onShutdownSignal } from '@rds-csi/observability';
import { configFromEnv } from './config.js';
import { startConnector } from './connector.js';

const logger = createLogger('rds-connector');
try {
  const connector = await startConnector(configFromEnv(process.env), { logger });
  onShutdownSignal(logger, () => connector.stop());
} catch (err) {
  logger.fatal({ err }, 'rds-connector failed to start');
  process.exit(1);
}
