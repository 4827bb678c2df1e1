import type { CsiMode } from './config.js';
import { startControllerMode } from './controller/mode.js';
import type { ModeFactory } from './mode.js';

/**
 * The modes this build can run. Node mode plugs in here: src/node exports a ModeFactory serving the Node service,
 * and this table names it.
 */
export const MODES: Readonly<Record<CsiMode, ModeFactory | undefined>> = {
  controller: startControllerMode,
  node: undefined,
};
