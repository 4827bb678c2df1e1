import { createLogger, onShutdownSignal } from '@rds-csi/observability';
import { gatewayConfigFromEnv } from './config.js';
import { startGateway } from './gateway.js';

/** Process entry: configuration from the environment, the gateway, and a graceful stop on SIGTERM/SIGINT. */
const logger = createLogger('csi-gateway');
try {
  const config = gatewayConfigFromEnv(process.env);
  const gateway = await startGateway(config, { logger });
  // The signal handler's own bound leaves the gateway its grace period plus time to close NATS.
  onShutdownSignal(logger, () => gateway.stop(), config.shutdownGraceMs + 5_000);
} catch (err) {
  logger.fatal({ err }, 'csi-gateway failed to start');
  process.exitCode = 1;
}
