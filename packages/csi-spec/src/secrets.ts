/**
 * Fields that must never reach a log: every field the spec annotates `(csi_secret) = true` is named `secrets`
 * (a test holds the proto to that), and the spec warns that `mount_flags` may carry credentials too.
 */
export const SENSITIVE_FIELD_NAMES: readonly string[] = ['secrets', 'mount_flags'];

export const REDACTED = '[redacted]';

/** A copy of a CSI message that is safe to log: sensitive fields are replaced wherever they are nested. */
export function redactSensitive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSensitive);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SENSITIVE_FIELD_NAMES.includes(key) ? REDACTED : redactSensitive(inner),
    ]),
  );
}
