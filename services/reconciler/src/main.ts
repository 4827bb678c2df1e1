/**
 * Process entry: configuration from the environment, one NATS connection, the reconciler, and a graceful stop on
 * SIGTERM/SIGINT. Configuration errors exit with status 2 and a message naming the variable.
 */
import { Bus } from '@rds-csi/bus';
import { createLogger, createMetricsRegistry, onShutdownSignal } from '@rds-csi/observability';
import { configFromEnv } from './config.js';
import { startReconciler } from './reconciler.js';

const logger = createLogger('reconciler');

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (err) {
    logger.fatal({ error: (err as Error).message }, 'invalid configuration');
    process.exit(2);
  }
  const bus = await Bus.connect(config.bus, { logger, registry: createMetricsRegistry('reconciler') });
  const reconciler = await startReconciler(config.reconciler, { bus });
  onShutdownSignal(logger, async () => {
    await reconciler.stop();
    await bus.close();
  });
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'reconciler failed to start');
  process.exit(1);
});
