/**
 * Runs parsed commands against the simulated RDS: RouterOS semantics for `/disk` and `/file`, capacity accounting,
 * and the backing files. Commands of one line run in order and stop at the first failure.
 */
import type { ItemRef } from './grammar.js';
import type { ParsedCommand } from './parser.js';
import { matchesFilter, propertyValue, renderDetail, type DetailLayout, type Entry } from './render.js';
import type { FileDisk, SimulatorState } from './state.js';
import type { BackingStorage } from './storage.js';
import {
  diskItems,
  diskLayout,
  diskStatusFlag,
  fileItems,
  fileLayout,
  freeBytes,
  sizeOfFile,
  type DiskItem,
  type FileItem,
  type Pool,
} from './views.js';

/** A command RouterOS would refuse at run time; `message` is the exact text it prints. */
export class CommandFailure extends Error {}

function fail(message: string): never {
  throw new CommandFailure(message);
}

export interface ExecutorContext {
  state: SimulatorState;
  storage: BackingStorage;
  pool: Pool;
  /** RouterOS name of the base directory for volumes (`storage-pool/metal-csi`); it always exists. */
  baseDirectory: string;
  wrapColumn: number;
  /** A narrow terminal: a pair too long for any line is cut at the column even inside its name. */
  cutNames: boolean;
  /** Saves the state after a change. */
  persist: () => Promise<void>;
  /** Called with a disk's NQN when its export stops (export off or disk removed): its live connections drop. */
  exportStopped: (nqn: string) => void;
}

export interface ExecutionResult {
  output: string;
  /** Whether a command failed (the failure text is the last line of `output`). */
  failed: boolean;
}

export async function executeCommands(
  commands: readonly ParsedCommand[],
  context: ExecutorContext,
): Promise<ExecutionResult> {
  let output = '';
  for (const command of commands) {
    const handler = HANDLERS[`${command.menu} ${command.verb}`];
    if (!handler) throw new Error(`no handler for ${command.menu} ${command.verb}`);
    try {
      output += await handler(command, context);
    } catch (err) {
      if (!(err instanceof CommandFailure)) throw err;
      return { output: `${output}${err.message}\n`, failed: true };
    }
  }
  return { output, failed: false };
}

type Handler = (command: ParsedCommand, context: ExecutorContext) => Promise<string>;

const HANDLERS: Record<string, Handler> = {
  'disk add': addDisk,
  'disk set': setDisks,
  'disk remove': removeDisks,
  'disk print': printDisks,
  // The simulator exports nothing over a real NVMe/TCP target, so there are never connections to list.
  'disk nvme-tcp print': () => Promise.resolve(''),
  'file print': printFiles,
  'file remove': removeFiles,
  'system identity print': () => Promise.resolve('  name: RDS\n'),
};

function textArg(command: ParsedCommand, name: string): string | undefined {
  const value = command.args.get(name);
  return typeof value === 'string' ? value : undefined;
}

function numberArg(command: ParsedCommand, name: string): number | undefined {
  const value = command.args.get(name);
  return typeof value === 'number' ? value : undefined;
}

function booleanArg(command: ParsedCommand, name: string): boolean | undefined {
  const value = command.args.get(name);
  return typeof value === 'boolean' ? value : undefined;
}

function itemArg(command: ParsedCommand, name: string): ItemRef | undefined {
  const value = command.args.get(name);
  return typeof value === 'object' ? value : undefined;
}

/** Items named by print number or name, or matched by `[find ...]` (which may match none). */
function selectItems<T extends { entry: Entry }>(
  items: readonly T[],
  ref: ItemRef,
  nameOf: (item: T) => string,
): T[] {
  if (ref.kind === 'find') return items.filter((item) => matchesFilter(item.entry, ref.conditions));
  return ref.names.map((name) => {
    const found =
      (/^\d+$/.test(name) ? items[Number(name)] : undefined) ?? items.find((item) => nameOf(item) === name);
    return found ?? fail('no such item');
  });
}

function diskSlot(item: DiskItem): string {
  return propertyValue(item.entry, 'slot') ?? '';
}

function selectDisks(context: ExecutorContext, ref: ItemRef): DiskItem[] {
  return selectItems(diskItems(context.state, context.pool), ref, diskSlot);
}

function requireSpace(context: ExecutorContext, bytes: number): void {
  if (bytes > freeBytes(context.state, context.pool)) fail('failure: not enough space');
}

/** RouterOS file name (no leading slash) of a `file-path`, which must lie on the pool; no `.`/`..`/empty parts. */
function fileNameOf(path: string, pool: Pool): string {
  const name = path.startsWith('/') ? path.slice(1) : path;
  const parts = name.split('/');
  const valid =
    parts.length >= 2 &&
    parts[0] === pool.mountPoint &&
    parts.every((part) => part !== '' && part !== '.' && part !== '..') &&
    ![...name].some((char) => char.charCodeAt(0) < 0x20);
  return valid ? name : fail('failure: invalid file path');
}

async function addDisk(command: ParsedCommand, context: ExecutorContext): Promise<string> {
  const { state } = context;
  if (textArg(command, 'type') === undefined) fail('failure: type not specified');
  const path = textArg(command, 'file-path') ?? fail('failure: file-path not specified');
  const fileName = fileNameOf(path, context.pool);
  const items = diskItems(state, context.pool);
  const slot = textArg(command, 'slot') ?? firstFreeSlot(items);
  if (items.some((item) => diskSlot(item) === slot)) fail('failure: slot already used');
  if (state.disks.some((disk) => disk.fileName === fileName)) fail('failure: file already in use');
  const disk = exportSettings(command, {
    slot,
    fileName,
    nvmeTcpExport: false,
    nvmeTcpServerPort: 4420,
    nvmeTcpServerNqn: `nqn.2000-02.com.mikrotik:${slot}`,
  });
  assertUniqueNqn(state, disk);
  const copyFrom = itemArg(command, 'copy-from');
  const size = numberArg(command, 'file-size');
  if (copyFrom) await copyFile(context, copyFrom, fileName, size);
  else await createOrAttachFile(context, fileName, size);
  state.disks.push(disk);
  await context.persist();
  return '';
}

function firstFreeSlot(items: readonly DiskItem[]): string {
  const used = new Set(items.map(diskSlot));
  let number = 1;
  while (used.has(`file${number}`)) number += 1;
  return `file${number}`;
}

/** Applies the nvme-tcp arguments of an add/set to a disk (returns the updated copy). */
function exportSettings(command: ParsedCommand, disk: FileDisk): FileDisk {
  return {
    ...disk,
    nvmeTcpExport: booleanArg(command, 'nvme-tcp-export') ?? disk.nvmeTcpExport,
    nvmeTcpServerPort: numberArg(command, 'nvme-tcp-server-port') ?? disk.nvmeTcpServerPort,
    nvmeTcpServerNqn: textArg(command, 'nvme-tcp-server-nqn') ?? disk.nvmeTcpServerNqn,
    disabled: booleanArg(command, 'disabled') ?? disk.disabled,
    nvmeTcpAllowHostName: textArg(command, 'nvme-tcp-server-allow-host-name') ?? disk.nvmeTcpAllowHostName,
  };
}

function assertUniqueNqn(state: SimulatorState, disk: FileDisk): void {
  const clash = state.disks.some(
    (other) =>
      other.slot !== disk.slot &&
      other.nvmeTcpExport &&
      disk.nvmeTcpExport &&
      other.nvmeTcpServerNqn === disk.nvmeTcpServerNqn,
  );
  if (clash) fail('failure: nvme-tcp-server-nqn already used');
}

/** `copy-from`: the new file is a full copy of the source disk's file (at least `size` bytes). */
async function copyFile(
  context: ExecutorContext,
  ref: ItemRef,
  fileName: string,
  size: number | undefined,
): Promise<void> {
  const sources = selectDisks(context, ref);
  if (sources.length === 0) fail('no such item');
  const [source] = sources;
  if (sources.length > 1 || source?.kind !== 'file') fail('invalid value for argument copy-from');
  if (diskStatusFlag(context.state, source.disk) !== '') fail('failure: copy-from disk is not active');
  if (context.state.files.some((file) => file.name === fileName)) fail('failure: file already exists');
  const copySize = Math.max(sizeOfFile(context.state, source.disk.fileName), size ?? 0);
  requireSpace(context, copySize);
  await context.storage.copy(source.disk.fileName, fileName, copySize);
  context.state.files.push({ name: fileName, size: copySize });
}

/** A new file of `size` bytes; without `file-size`, an existing file attached as it is. */
async function createOrAttachFile(
  context: ExecutorContext,
  fileName: string,
  size: number | undefined,
): Promise<void> {
  const existing = context.state.files.some((file) => file.name === fileName);
  if (existing && size !== undefined) fail('failure: file already exists');
  if (existing) return;
  if (size === undefined) fail('failure: file-size not specified');
  requireSpace(context, size);
  await context.storage.create(fileName, size);
  context.state.files.push({ name: fileName, size });
}

async function setDisks(command: ParsedCommand, context: ExecutorContext): Promise<string> {
  const targets = selectDisks(context, command.items ?? fail('failure: no items specified'));
  const newSize = numberArg(command, 'file-size');
  const updates = targets.map((target) => {
    if (target.kind !== 'file') fail('failure: can not change built-in disk');
    const currentSize = sizeOfFile(context.state, target.disk.fileName);
    if (newSize !== undefined && newSize < currentSize) fail('failure: can not shrink file');
    return {
      current: target.disk,
      next: exportSettings(command, target.disk),
      growth: (newSize ?? currentSize) - currentSize,
    };
  });
  updates.forEach(({ next }) => assertUniqueNqn(context.state, next));
  requireSpace(
    context,
    updates.reduce((sum, update) => sum + update.growth, 0),
  );
  for (const { current, next, growth } of updates) {
    if (growth > 0 && newSize !== undefined) {
      await context.storage.resize(current.fileName, newSize);
      const file = context.state.files.find((candidate) => candidate.name === current.fileName);
      if (file) file.size = newSize;
    }
    if (current.nvmeTcpExport && !next.nvmeTcpExport) context.exportStopped(current.nvmeTcpServerNqn);
    Object.assign(current, next);
  }
  if (updates.length > 0) await context.persist();
  return '';
}

async function removeDisks(command: ParsedCommand, context: ExecutorContext): Promise<string> {
  const targets = selectDisks(context, command.items ?? fail('failure: no items specified'));
  const removed = new Set(
    targets.map((target) =>
      target.kind === 'file' ? target.disk : fail('failure: can not remove built-in disk'),
    ),
  );
  if (removed.size === 0) return '';
  // Removing a disk keeps its file, like RouterOS: the data stays until `/file remove`.
  context.state.disks = context.state.disks.filter((disk) => !removed.has(disk));
  for (const disk of removed) if (disk.nvmeTcpExport) context.exportStopped(disk.nvmeTcpServerNqn);
  await context.persist();
  return '';
}

function printDisks(command: ParsedCommand, context: ExecutorContext): Promise<string> {
  const items = diskItems(context.state, context.pool);
  return Promise.resolve(renderSelection(items, command, diskLayout(context.wrapColumn, context.cutNames)));
}

async function printFiles(command: ParsedCommand, context: ExecutorContext): Promise<string> {
  return renderSelection(await listFiles(context), command, fileLayout(context.wrapColumn));
}

/** Prints the items matching `where` with their numbers in the full list, as RouterOS numbers them. */
function renderSelection(
  items: readonly { entry: Entry }[],
  command: ParsedCommand,
  layout: DetailLayout,
): string {
  const numbers = items.flatMap((item, number) =>
    matchesFilter(item.entry, command.where ?? [[]]) ? [number] : [],
  );
  const entries = numbers.map((number) => items[number]?.entry).filter((entry) => entry !== undefined);
  return renderDetail(entries, numbers, layout);
}

function listFiles(context: ExecutorContext): Promise<FileItem[]> {
  return fileItems(context.state, context.pool, context.baseDirectory, (name) =>
    context.storage.modifiedAt(name),
  );
}

async function removeFiles(command: ParsedCommand, context: ExecutorContext): Promise<string> {
  const items = await listFiles(context);
  const targets = selectItems(items, command.items ?? fail('failure: no items specified'), (item) =>
    item.kind === 'file' ? item.file.name : item.name,
  );
  const names = targets.map((target) => {
    if (target.kind !== 'file') fail('failure: can not remove directory');
    if (context.state.disks.some((disk) => disk.fileName === target.file.name))
      fail('failure: file is in use');
    return target.file.name;
  });
  if (names.length === 0) return '';
  for (const name of names) await context.storage.remove(name);
  context.state.files = context.state.files.filter((file) => !names.includes(file.name));
  await context.persist();
  return '';
}
