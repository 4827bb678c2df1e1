/**
 * Whitelists for every identifier that goes into a RouterOS command. Each validator returns the value it accepted,
 * so callers use the checked value, and throws INVALID_ARGUMENT otherwise.
 */
import {
  NQN_MAX_LENGTH,
  NQN_PATTERN,
  SNAPSHOT_ID_PATTERN,
  VOLUME_ID_PATTERN,
  invalidArgument,
} from '@rds-csi/contracts';
import { describeValue } from './text.js';

/** The NVMe/TCP port of an export when the StorageClass names none (the IANA port, RouterOS's default). */
export const DEFAULT_NVME_TCP_PORT = 4420;

/** Every NQN the driver creates is this prefix followed by the volume ID (drop-in compatible with the Go driver). */
export const NQN_PREFIX = 'nqn.2000-02.com.mikrotik:';

/** The start of a volume ID: used for `slot~"^<prefix>"` listings and for managed NQN prefixes. */
const ID_PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string')
    throw invalidArgument(`${what} must be a string, got ${describeValue(value)}`);
  return value;
}

function requireMatch(value: unknown, pattern: RegExp, what: string, rule: string): string {
  const text = requireString(value, what);
  if (!pattern.test(text)) throw invalidArgument(`${what} ${describeValue(text)} is invalid: ${rule}`);
  return text;
}

const DNS_LABEL_RULE =
  'it must be a lowercase DNS label of 1-63 characters [a-z0-9-] that starts and ends with a letter or digit';

export function validateVolumeId(value: unknown): string {
  return requireMatch(value, VOLUME_ID_PATTERN, 'volume ID', DNS_LABEL_RULE);
}

export function validateSnapshotId(value: unknown): string {
  return requireMatch(value, SNAPSHOT_ID_PATTERN, 'snapshot ID', 'it must be snap-<uuid>-at-<10 hex digits>');
}

/** A disk slot the driver manages: a volume ID or a snapshot ID (snapshot IDs are DNS labels too). */
export function validateSlot(value: unknown): string {
  return requireMatch(value, VOLUME_ID_PATTERN, 'disk slot', DNS_LABEL_RULE);
}

/** The start of a slot name, for listings by prefix (`pvc-`, `snap-`). */
export function validateSlotPrefix(value: unknown): string {
  return requireMatch(
    value,
    ID_PREFIX_PATTERN,
    'slot prefix',
    'it must be 1-63 characters [a-z0-9-] starting with a letter or digit',
  );
}

export function validatePort(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw invalidArgument(
      `NVMe/TCP port ${describeValue(value)} is invalid: it must be an integer from 1 to 65535`,
    );
  }
  return value;
}

export function nqnFor(volumeId: string): string {
  return `${NQN_PREFIX}${validateVolumeId(volumeId)}`;
}

/**
 * The one NQN validator: an NVMe qualified name (a volume's `nqn.2000-02.com.mikrotik:<volume-id>` or a host's
 * `/etc/nvme/hostnqn`), at most 223 bytes, free of anything that could end a RouterOS value or list item.
 */
export function validateNqn(value: unknown, what = 'NQN'): string {
  const nqn = requireString(value, what);
  if (nqn.length > NQN_MAX_LENGTH || !NQN_PATTERN.test(nqn)) {
    throw invalidArgument(
      `${what} ${describeValue(nqn)} is invalid: it must be an NVMe qualified name nqn.<yyyy-mm>.<domain>[:<name>] of at most ${NQN_MAX_LENGTH} bytes`,
    );
  }
  return nqn;
}

/**
 * A managed-NQN prefix (e.g. `nqn.2000-02.com.mikrotik:pvc-`): the driver's NQN prefix plus at least one character
 * of a volume ID, so that a node never treats NQNs it did not create (boot disks of the same RDS) as its own.
 */
export function validateNqnPrefix(value: unknown): string {
  const prefix = requireString(value, 'NQN prefix');
  if (!prefix.startsWith(NQN_PREFIX) || !ID_PREFIX_PATTERN.test(prefix.slice(NQN_PREFIX.length))) {
    throw invalidArgument(
      `NQN prefix ${describeValue(prefix)} is invalid: it must be ${NQN_PREFIX} followed by the start of a volume ID (e.g. ${NQN_PREFIX}pvc-)`,
    );
  }
  return prefix;
}
