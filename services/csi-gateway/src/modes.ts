import type { CsiMode } from './config.js';
import { startControllerMode } from './controller/mode.js';
import type { ModeFactory } from './mode.js';
import { startNodeMode } from './node/mode.js';

/** The modes this build can run, each a ModeFactory serving its CSI services. */
export const MODES: Readonly<Record<CsiMode, ModeFactory | undefined>> = {
  controller: startControllerMode,
  node: startNodeMode,
};
