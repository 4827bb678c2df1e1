/**
 * Paths on the RDS. Only absolute paths of plain components are accepted, and a volume directory must lie under the
 * configured base path by whole components (`/storage-pool/metal-csi2` is not under `/storage-pool/metal-csi`).
 */
import { invalidArgument } from '@rds-csi/contracts';
import { requireString, validateSlot } from './ids.js';
import { describeValue } from './text.js';

export const DEFAULT_BASE_PATH = '/storage-pool/metal-csi';
/** The backing file of every disk the driver creates is `<dir>/<slot>.img`. */
export const IMAGE_SUFFIX = '.img';

const MAX_PATH_LENGTH = 255;
const COMPONENT_PATTERN = /^[A-Za-z0-9._-]+$/;

/** Validates an absolute path and returns its components; a single trailing slash is tolerated. */
function pathComponents(value: unknown, what: string): [string, ...string[]] {
  const path = requireString(value, what);
  const reject = (why: string): never => {
    throw invalidArgument(`${what} ${describeValue(path)} is invalid: ${why}`);
  };
  if (path.length > MAX_PATH_LENGTH) reject(`it is longer than ${MAX_PATH_LENGTH} characters`);
  if (!path.startsWith('/')) reject('it must be an absolute path');
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const [first = '', ...rest] = trimmed.slice(1).split('/');
  const components: [string, ...string[]] = [first, ...rest];
  for (const component of components) {
    if (component === '') reject('it must have at least one component and no empty components (//)');
    if (/^\.+$/.test(component)) reject('it must not contain . or .. components');
    if (!COMPONENT_PATTERN.test(component))
      reject('path components may only contain the characters A-Z a-z 0-9 . _ -');
  }
  return components;
}

const joinPath = (components: readonly string[]): string => `/${components.join('/')}`;

function isWithin(components: readonly string[], base: readonly string[]): boolean {
  return components.length >= base.length && base.every((component, i) => components[i] === component);
}

export function validateBasePath(value: unknown): string {
  return joinPath(pathComponents(value, 'base path'));
}

/** Any absolute path the driver may name in a command (validated, normalised without a trailing slash). */
export function validateAbsolutePath(value: unknown, what: string = 'path'): string {
  return joinPath(pathComponents(value, what));
}

/** The directory for a volume's backing file: the requested `volumePath` (which must lie under the base) or the base. */
export function resolveVolumeDir(basePath: string, requested?: string): string {
  const base = pathComponents(basePath, 'base path');
  if (requested === undefined || requested === '') return joinPath(base);
  const dir = pathComponents(requested, 'volume path');
  if (!isWithin(dir, base)) {
    throw invalidArgument(
      `volume path ${describeValue(requested)} is invalid: it must lie under the base path ${joinPath(base)}`,
    );
  }
  return joinPath(dir);
}

export function volumeFilePath(dir: string, id: string): string {
  return `${validateAbsolutePath(dir, 'volume directory')}/${validateSlot(id)}${IMAGE_SUFFIX}`;
}

/**
 * Validates the backing file of a disk before the driver touches it: `<dir>/<slot>.img` with `dir` under the base
 * path, and when `slot` is given, the file name must be exactly that slot's image (never some other file).
 */
export function validateImageFile(filePath: unknown, basePath: string, slot?: string): string {
  const base = pathComponents(basePath, 'base path');
  const components = pathComponents(filePath, 'backing file path');
  const name = components[components.length - 1] ?? '';
  const reject = (why: string): never => {
    throw invalidArgument(`backing file path ${describeValue(filePath)} is invalid: ${why}`);
  };
  if (!isWithin(components.slice(0, -1), base)) reject(`it must lie under the base path ${joinPath(base)}`);
  if (!name.endsWith(IMAGE_SUFFIX)) reject(`the file name must end with ${IMAGE_SUFFIX}`);
  const fileSlot = validateSlot(name.slice(0, -IMAGE_SUFFIX.length));
  if (slot !== undefined && fileSlot !== validateSlot(slot))
    reject(`it is not the backing file of slot ${slot}`);
  return joinPath(components);
}

/** RouterOS `/file` names have no leading slash: `/storage-pool/x.img` is `storage-pool/x.img`. */
export function routerOsFileName(path: string): string {
  return validateAbsolutePath(path).slice(1);
}

/** The mount point holding the base path is its first component (`/storage-pool/metal-csi` -> `storage-pool`). */
export function mountPointOf(basePath: string): string {
  return pathComponents(basePath, 'base path')[0];
}
