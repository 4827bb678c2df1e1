import type { ModeFactory } from '../mode.js';
import { RdsConnectionTracker } from '../identity/rds-connection.js';
import { RdsAddresses } from './context.js';
import { controllerHandlers } from './index.js';
import { busCalls } from './rds.js';

/** Controller mode: the Controller service, ready while the rds-connector reports a fresh, connected RDS. */
export const startControllerMode: ModeFactory = async ({ config, bus, logger }) => {
  if (!bus) throw new Error('controller mode needs the NATS connection');
  const tracker = new RdsConnectionTracker(
    bus,
    config.rdsStaleAfterMs,
    logger.child({ component: 'rds-connection' }),
  );
  await tracker.start();
  const controller = controllerHandlers({
    rds: busCalls(bus),
    addresses: new RdsAddresses(config.controller, tracker),
    config: config.controller,
    zone: config.topologyZone,
  });
  return {
    controller,
    readiness: () => tracker.readiness(),
    stop: async () => tracker.stop(),
  };
};
