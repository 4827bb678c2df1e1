export {
  RdsSimulator,
  type CapacitySnapshot,
  type DiskSnapshot,
  type FileSnapshot,
  type RdsSimulatorOptions,
  type SimulatorLog,
} from './simulator.js';
export { SimulatorFaults, type InjectedFailure } from './faults.js';
export { LinkFaults, type LinkFault } from './link-faults.js';
export { ensureHostKey, fingerprintOf, generateKeyPair, type KeyPair, type KeyType } from './keys.js';
export { formatGroupedNumber, formatHumanSize, parseSize } from './sizes.js';
export { seedExportedDisks } from './state.js';
