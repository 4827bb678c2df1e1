/**
 * Byte sizes: rounding requested sizes up to what the driver asks RouterOS for, and reading the sizes RouterOS
 * prints (exact `53 687 091 200` and human `50.0GiB`). Never truncates, never turns garbage into 0 or NaN.
 */
import { RdsCsiError, internalError, invalidArgument } from '@rds-csi/contracts';
import { describeValue } from './text.js';

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;
export const TIB = 1024 * GIB;
export const PIB = 1024 * TIB;
/** Largest volume the driver will ask for; far beyond any RDS, and keeps every size a safe integer. */
export const MAX_VOLUME_BYTES = PIB;

/** Rounds a requested size up to a whole MiB (RouterOS sizes are written as `<n>M` or `<n>G`). */
export function roundUpSize(bytes: unknown): number {
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0) {
    throw invalidArgument(
      `size ${describeValue(bytes)} is invalid: it must be a positive whole number of bytes`,
    );
  }
  if (bytes > MAX_VOLUME_BYTES) {
    throw new RdsCsiError(
      'OUT_OF_RANGE',
      `size ${bytes} bytes is larger than the maximum of ${MAX_VOLUME_BYTES} bytes (1 PiB)`,
    );
  }
  const remainder = bytes % MIB;
  return remainder === 0 ? bytes : bytes + (MIB - remainder);
}

/** The `file-size=` argument for a size: rounded up to a MiB, written as `<n>G` when a whole GiB, else `<n>M`. */
export function formatSizeArg(bytes: unknown): string {
  const rounded = roundUpSize(bytes);
  return rounded % GIB === 0 ? `${rounded / GIB}G` : `${rounded / MIB}M`;
}

/** Digits, optionally in thousands groups separated by single spaces; a lost separator (line wrap) is tolerated. */
const SPACED_INTEGER = /^\d+(?: (?:\d{3})+)*$/;
const BYTE_COUNT = /^(\d+(?: (?:\d{3})+)*)(?: ?B)?$/;
const HUMAN_SIZE = /^(\d+)(?:\.(\d+))? ?(KiB|MiB|GiB|TiB|PiB)$/;
const UNIT_BYTES: Readonly<Record<string, bigint>> = {
  KiB: BigInt(KIB),
  MiB: BigInt(MIB),
  GiB: BigInt(GIB),
  TiB: BigInt(TIB),
  PiB: BigInt(PIB),
};

function toSafeNumber(value: bigint, text: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw internalError(`byte count ${describeValue(text)} is too large`);
  return Number(value);
}

/** Reads an exact byte count as RouterOS prints it: `53 687 091 200` (or `53687091200`). */
export function parseSpacedInteger(text: string): number {
  if (typeof text !== 'string' || !SPACED_INTEGER.test(text)) {
    throw internalError(
      `${describeValue(text)} is not a whole number (digits in groups separated by single spaces)`,
    );
  }
  return toSafeNumber(BigInt(text.replace(/ /g, '')), text);
}

/**
 * Reads a size as RouterOS prints it: an exact byte count (`53 687 091 200`, `4096B`), or human-readable with one
 * decimal and binary units (`50.0GiB`, `512.0KiB`, `1.5TiB`), rounded to the nearest byte.
 */
export function parseHumanSize(text: string): number {
  const input = typeof text === 'string' ? text : '';
  const exact = BYTE_COUNT.exec(input);
  if (exact) return parseSpacedInteger(exact[1] ?? '');
  const human = HUMAN_SIZE.exec(input);
  if (!human)
    throw internalError(`${describeValue(text)} is not a size (expected e.g. 50.0GiB or 53 687 091 200)`);
  const [, whole = '', fraction = '', unit = ''] = human;
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(whole + fraction) * (UNIT_BYTES[unit] ?? 0n);
  // Round half up in exact integer arithmetic: floor(scaled / scale + 1/2).
  return toSafeNumber((scaled * 2n + scale) / (2n * scale), text);
}
