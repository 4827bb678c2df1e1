import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { isErrno } from './errno.js';

export type KeyType = 'ed25519' | 'rsa';

export interface KeyPair {
  /** Private key in OpenSSH format (`-----BEGIN OPENSSH PRIVATE KEY-----`). */
  privateKey: string;
  /** OpenSSH public key line: `ssh-ed25519 AAAA... comment`. */
  publicKey: string;
}

/**
 * Generates a key pair usable as an SSH client key (or a host key). ssh2's generator drops the leading zero byte of
 * an ed25519 public key (about one key in 200), giving a key nothing can parse; such a pair is detected by parsing it
 * back, and generated again.
 */
export function generateKeyPair(type: KeyType = 'ed25519', comment = 'rds-simulator'): KeyPair {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const pair =
      type === 'rsa'
        ? ssh2.utils.generateKeyPairSync('rsa', { bits: 2048, comment })
        : ssh2.utils.generateKeyPairSync('ed25519', { comment });
    const parses = (text: string): boolean => !(ssh2.utils.parseKey(text) instanceof Error);
    if (parses(pair.private) && parses(pair.public))
      return { privateKey: pair.private, publicKey: pair.public.trim() };
  }
  throw new Error(`could not generate a valid ${type} key pair`);
}

/** Parses one key (private or public) and returns the single key it holds; throws on garbage. */
export function parseSshKey(text: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(text);
  if (parsed instanceof Error) throw new Error(`invalid SSH key: ${parsed.message}`);
  const key = Array.isArray(parsed) ? (parsed as ParsedKey[])[0] : parsed;
  if (!key) throw new Error('invalid SSH key: no key found');
  return key;
}

/**
 * Reads the host private key at `path`, generating it first (mode 0600) when the file does not exist, so a
 * simulator keeps the same host key (and fingerprint) across restarts.
 */
export async function ensureHostKey(path: string, type: KeyType = 'ed25519'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  await mkdir(dirname(path), { recursive: true });
  const { privateKey } = generateKeyPair(type, 'rds-simulator-host');
  try {
    await writeFile(path, privateKey, { mode: 0o600, flag: 'wx' });
    return privateKey;
  } catch (err) {
    // Another process created it between our read and write: use theirs, so both agree on one host key.
    if (isErrno(err, 'EEXIST')) return readFile(path, 'utf8');
    throw err;
  }
}

/** OpenSSH-style fingerprint of a public key blob: `SHA256:<base64 without padding>`. */
export function fingerprintOf(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The public half of a key as an OpenSSH line without comment: `<type> <base64 blob>`. */
export function publicKeyLineOf(key: ParsedKey): string {
  return `${key.type} ${key.getPublicSSH().toString('base64')}`;
}
