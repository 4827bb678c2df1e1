/** Size arithmetic and the two ways RouterOS prints a size. Pure functions, no I/O. */

const UNIT_SHIFT: Record<string, number> = { '': 0, K: 10, M: 20, G: 30, T: 40 };

/**
 * Parses a RouterOS size argument: an integer with an optional binary unit (`4096`, `512K`, `10M`, `50G`, `1T`;
 * the unit letter is case-insensitive). Returns undefined for anything else, including zero and values beyond
 * what a JS number holds exactly.
 */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+)([kKmMgGtT]?)$/.exec(text);
  if (!match) return undefined;
  const digits = match[1] ?? '';
  const unit = (match[2] ?? '').toUpperCase();
  const bytes = BigInt(digits) << BigInt(UNIT_SHIFT[unit] ?? 0);
  if (bytes === 0n || bytes > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(bytes);
}

const HUMAN_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Human-readable size as RouterOS prints `file-size=`: one decimal and a binary unit. RouterOS keeps the smaller
 * unit until the value reaches 2 of the next one (a 1 GiB file prints as `1024.0MiB`, a 1.9 MiB file as
 * `1924.1KiB`); below 2 KiB it prints plain bytes.
 */
export function formatHumanSize(bytes: number): string {
  let unitIndex = -1;
  let value = bytes;
  while (unitIndex + 1 < HUMAN_UNITS.length && value / 1024 >= 2) {
    value /= 1024;
    unitIndex += 1;
  }
  const unit = HUMAN_UNITS[unitIndex];
  return unit === undefined ? String(bytes) : `${value.toFixed(1)}${unit}`;
}

/** Exact byte count with space thousands separators, as RouterOS prints `size=` (`53 687 091 200`). */
export function formatGroupedNumber(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
