/**
 * The RouterOS menus, commands and arguments the simulator knows, and how argument values are checked. RouterOS
 * checks argument types while parsing, before it runs anything, so a bad value anywhere in a `;` chain means
 * nothing in the chain runs; the checks live here for the parser to apply.
 */
import { parseSize } from './sizes.js';

export type Operator = '=' | '~' | '!=';

export interface Condition {
  property: string;
  operator: Operator;
  value: string;
}

/**
 * `where`/`find` conditions: alternatives joined by `or`, each a list of conditions joined by `and` (or whitespace),
 * which binds tighter. No conditions at all is one empty alternative, which every item matches.
 */
export type Filter = Condition[][];

/** Items a command acts on: the result of `[find ...]`, or names/print numbers given directly. */
export type ItemRef = { kind: 'find'; conditions: Filter } | { kind: 'names'; names: string[] };

export type ArgValue = string | number | boolean | ItemRef;

/** A raw argument value before type checking: text (bare or quoted) or a `[find ...]`. */
export type RawValue = { kind: 'text'; text: string } | ItemRef;

type ArgParser = (raw: RawValue) => ArgValue | undefined;

const text: ArgParser = (raw) => (raw.kind === 'text' && raw.text !== '' ? raw.text : undefined);
/** Text that may be empty (`""` clears a list property). */
const textOrEmpty: ArgParser = (raw) => (raw.kind === 'text' ? raw.text : undefined);
const size: ArgParser = (raw) => (raw.kind === 'text' ? parseSize(raw.text) : undefined);
const yesNo: ArgParser = (raw) => {
  if (raw.kind !== 'text') return undefined;
  return raw.text === 'yes' ? true : raw.text === 'no' ? false : undefined;
};
const port: ArgParser = (raw) => {
  if (raw.kind !== 'text' || !/^\d{1,5}$/.test(raw.text)) return undefined;
  const value = Number(raw.text);
  return value >= 1 && value <= 65535 ? value : undefined;
};
const diskType: ArgParser = (raw) => (raw.kind === 'text' && raw.text === 'file' ? raw.text : undefined);
/** An item reference: `[find ...]` or a name (for disks the slot). */
const item: ArgParser = (raw) => (raw.kind === 'text' ? itemsFromText(raw.text) : raw);

export function itemsFromText(value: string): ItemRef | undefined {
  const names = value.split(',');
  return names.every((name) => name !== '') ? { kind: 'names', names } : undefined;
}

export interface CommandSpec {
  args?: Readonly<Record<string, ArgParser>>;
  /** Bare words that switch an option on (`detail`). */
  flags?: readonly string[];
  /** Accepts an unnamed list of items (`remove [find slot=x]`, `remove "name"`, `set 3 ...`). */
  items?: boolean;
  /** Accepts `where <conditions>` to the end of the command. */
  where?: boolean;
}

export interface MenuSpec {
  name: MenuName;
  commands: Readonly<Record<string, CommandSpec>>;
  menus?: Readonly<Record<string, MenuSpec>>;
  /** Property names usable in `where` and `[find ...]` conditions. */
  properties: readonly string[];
}

export type MenuName = '' | 'disk' | 'disk nvme-tcp' | 'file' | 'system' | 'system identity';

const PRINT: CommandSpec = { flags: ['detail', 'without-paging'], where: true };
const NVME_TCP_ARGS = {
  'nvme-tcp-export': yesNo,
  'nvme-tcp-server-port': port,
  'nvme-tcp-server-nqn': text,
  'nvme-tcp-server-allow-host-name': textOrEmpty,
};

export const DISK_PROPERTIES = [
  'slot',
  'type',
  'parent',
  'model',
  'serial',
  'fw-version',
  'interface',
  'raid-type',
  'raid-device-count',
  'raid-members',
  'partition-size',
  'size',
  'mount-point',
  'file-system',
  'free',
  'file-path',
  'file-size',
  'file-offset',
  'nvme-tcp-export',
  'nvme-tcp-server-port',
  'nvme-tcp-server-nqn',
  'nvme-tcp-server-allow-host-name',
  'sector-size',
] as const;

export const FILE_PROPERTIES = ['name', 'type', 'size', 'last-modified'] as const;

const DISK_MENU: MenuSpec = {
  name: 'disk',
  properties: DISK_PROPERTIES,
  commands: {
    add: {
      args: {
        type: diskType,
        slot: text,
        'file-path': text,
        'file-size': size,
        'copy-from': item,
        ...NVME_TCP_ARGS,
      },
    },
    set: { items: true, args: { 'file-size': size, disabled: yesNo, ...NVME_TCP_ARGS } },
    remove: { items: true },
    print: PRINT,
  },
  menus: {
    'nvme-tcp': { name: 'disk nvme-tcp', properties: [], commands: { print: { flags: PRINT.flags } } },
  },
};

const FILE_MENU: MenuSpec = {
  name: 'file',
  properties: FILE_PROPERTIES,
  commands: { remove: { items: true }, print: PRINT },
};

/** Only `/system identity print`: the connector's health check. */
const SYSTEM_MENU: MenuSpec = {
  name: 'system',
  properties: [],
  commands: {},
  menus: { identity: { name: 'system identity', properties: [], commands: { print: {} } } },
};

export const ROOT_MENU: MenuSpec = {
  name: '',
  properties: [],
  commands: {},
  menus: { disk: DISK_MENU, file: FILE_MENU, system: SYSTEM_MENU },
};
