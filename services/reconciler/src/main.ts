/**
 * Process entry: configuration from the environment, the health endpoints, one NATS connection, the reconciler,
 * and a graceful stop on SIGTERM/SIGINT. Configuration errors exit with status 2 and a message naming the variable.
 */
import { Bus } from '@rds-csi/bus';
import {
  createLogger,
  createMetricsRegistry,
  onShutdownSignal,
  startHealthServer,
  type ReadinessCheck,
} from '@rds-csi/observability';
import { configFromEnv } from './config.js';
import { startReconciler } from './reconciler.js';
import { errorMessage } from '@rds-csi/contracts';

const logger = createLogger('reconciler');

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (err) {
    logger.fatal({ error: errorMessage(err) }, 'invalid configuration');
    process.exit(2);
  }
  const registry = createMetricsRegistry('reconciler');
  let readiness = (): ReadinessCheck => ({ ready: false, reason: 'waiting for NATS' });
  // Health endpoints first: while NATS is unreachable, liveness holds and readiness says why.
  const health =
    config.reconciler.metricsPort === undefined
      ? undefined
      : await startHealthServer({
          port: config.reconciler.metricsPort,
          registry,
          logger,
          ready: () => readiness(),
        });
  const bus = await Bus.connect(config.bus, { logger, registry });
  const reconciler = await startReconciler({ ...config.reconciler, metricsPort: undefined }, { bus });
  readiness = () => reconciler.readiness();
  onShutdownSignal(logger, async () => {
    await reconciler.stop();
    await bus.close();
    await health?.close();
  });
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'reconciler failed to start');
  process.exit(1);
});
