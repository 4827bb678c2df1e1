/**
 * Bounds on what the gateway repeats of its input. A client may send IDs of any length (100 KB and more); echoed whole
 * into a status message they overflow gRPC's metadata limit (the client then sees INTERNAL instead of the real
 * code), and into a log line they flood the log. Messages are cut at MAX_DETAILS_CHARS, log fields at
 * MAX_FIELD_CHARS, each saying how much was cut.
 */
export const MAX_FIELD_CHARS = 128;
export const MAX_DETAILS_CHARS = 1024;

export function bounded(text: string, max: number = MAX_FIELD_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more characters)`;
}

/** A copy of a log value with every string in it bounded (objects and arrays walked, a few levels deep). */
export function boundedValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return bounded(value);
  if (depth > 6 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.slice(0, 64).map((v) => boundedValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, boundedValue(v, depth + 1)]));
}
