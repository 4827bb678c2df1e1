import { RdsCsiError, invalidArgument } from '@rds-csi/contracts';
import type { CapacityRange } from '@rds-csi/csi-spec';

export const MIB = 1024 * 1024;

/** A CSI int64 byte count as a safe integer; negative is invalid, beyond 2^53 is more than any RDS holds. */
export function parseBytes(value: string, field: string): number {
  const bytes = BigInt(value);
  if (bytes < 0n) throw invalidArgument(`${field} must not be negative`);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RdsCsiError('OUT_OF_RANGE', `${field} ${value} is too large`);
  return Number(bytes);
}

export interface SizeBounds {
  /** Smallest acceptable size in bytes (0 = none). */
  required: number;
  /** Largest acceptable size in bytes (0 = none). */
  limit: number;
}

export function parseCapacityRange(range: CapacityRange | null): SizeBounds {
  if (!range) return { required: 0, limit: 0 };
  const bounds = {
    required: parseBytes(range.required_bytes, 'capacity_range.required_bytes'),
    limit: parseBytes(range.limit_bytes, 'capacity_range.limit_bytes'),
  };
  if (bounds.limit > 0 && bounds.limit < bounds.required) {
    throw new RdsCsiError(
      'OUT_OF_RANGE',
      `capacity_range.limit_bytes ${bounds.limit} is below required_bytes ${bounds.required}`,
    );
  }
  return bounds;
}

export const roundUpToMiB = (bytes: number): number => Math.ceil(bytes / MIB) * MIB;
const roundDownToMiB = (bytes: number): number => Math.floor(bytes / MIB) * MIB;

/**
 * The size to provision: the larger of the required size and `floor` (a content source's size), rounded up to
 * whole MiB, never truncated; with nothing required, the default size, shrunk to fit a limit. OUT_OF_RANGE when no
 * whole-MiB size fits the range.
 */
export function sizeForRange(bounds: SizeBounds, floor: number, defaultSize: number): number {
  const minimum = Math.max(bounds.required, floor);
  const size =
    minimum > 0
      ? roundUpToMiB(minimum)
      : bounds.limit > 0
        ? Math.min(defaultSize, roundDownToMiB(bounds.limit))
        : defaultSize;
  // Rounding 2^53-1 up to whole MiB leaves the safe integers: more than any RDS holds, not a malformed request.
  if (size > Number.MAX_SAFE_INTEGER)
    throw new RdsCsiError('OUT_OF_RANGE', `${minimum} bytes rounded up to whole MiB is too large`);
  if (size === 0 || (bounds.limit > 0 && size > bounds.limit)) {
    throw new RdsCsiError(
      'OUT_OF_RANGE',
      `no whole-MiB size of at least ${minimum} bytes fits under limit_bytes ${bounds.limit}`,
    );
  }
  return size;
}

/** Whether an existing size satisfies a range (for idempotent CreateVolume and ControllerExpandVolume). */
export const fitsRange = (size: number, bounds: SizeBounds): boolean =>
  size >= bounds.required && (bounds.limit === 0 || size <= bounds.limit);
