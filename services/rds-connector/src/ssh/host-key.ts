import { createHash } from 'node:crypto';
import { RdsCsiError } from '@rds-csi/contracts';

/**
 * Host key pinning. The pin is either an OpenSSH-style fingerprint (`SHA256:<base64 without padding>`) or a
 * known_hosts line (`[host] <key-type> <base64 key>`). Accepting any key is a separate, explicit opt-in.
 */
export type HostKeyPin =
  { kind: 'fingerprint'; fingerprint: string } | { kind: 'key'; keyType: string; key: Buffer };

const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
const KEY_TYPE_PATTERN = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|rsa-sha2-(256|512))$/;

/** OpenSSH's SHA256 fingerprint of a raw host key blob. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export function parseHostKeyPin(pin: string): HostKeyPin {
  const trimmed = pin.trim();
  if (FINGERPRINT_PATTERN.test(trimmed)) return { kind: 'fingerprint', fingerprint: trimmed };
  const fields = trimmed.split(/\s+/);
  const typeIndex = fields.findIndex((f) => KEY_TYPE_PATTERN.test(f));
  const keyType = fields[typeIndex];
  const blob = fields[typeIndex + 1];
  if (keyType === undefined || !blob || !/^[A-Za-z0-9+/]+=*$/.test(blob)) {
    throw new RdsCsiError(
      'INVALID_ARGUMENT',
      'RDS host key pin must be a SHA256:<base64> fingerprint or a known_hosts line "<host> <key-type> <base64-key>"',
    );
  }
  return { kind: 'key', keyType, key: Buffer.from(blob, 'base64') };
}

/** Whether the key the server presented matches the pin. */
export function hostKeyMatches(pin: HostKeyPin, presented: Buffer): boolean {
  if (pin.kind === 'fingerprint') return fingerprintOf(presented) === pin.fingerprint;
  return pin.key.equals(presented);
}
