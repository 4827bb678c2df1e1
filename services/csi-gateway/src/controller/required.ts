import { invalidArgument } from '@rds-csi/contracts';

/** A REQUIRED string field of a CSI request; missing (proto3: empty) is INVALID_ARGUMENT. */
export function required(value: string, field: string): string {
  if (!value) throw invalidArgument(`${field} is required`);
  return value;
}
