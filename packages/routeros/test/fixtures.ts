/** Sample RouterOS output and wrappers that lay entries out the way a fixed-width terminal does. */
import assert from 'node:assert/strict';
import { RdsCsiError } from '@rds-csi/contracts';
import type { ErrorCode } from '@rds-csi/contracts';

export const VOLUME_ID = 'pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f';
export const SNAPSHOT_ID = 'snap-7c9e6679-7425-40de-944b-e07fc1f90ae7-at-7c9e667974';
export const BASE = '/storage-pool/metal-csi';

export const FLAGS_HEADER =
  'Flags: X - DISABLED; B - BLOCK-DEVICE; M - MOUNTED; t - NVME-TCP-EXPORT; f - FORMATTING; r - RAID-MEMBER';

/** The sample from ROUTEROS.md, verbatim. */
export const ROUTEROS_MD_SAMPLE = `${FLAGS_HEADER}
Columns: SLOT, TYPE
 0 BM  slot="sata1" type="hardware" model="SAMSUNG MZ7LH3T8" serial="S456NY0M8" fw-version="HXT7404Q"
       size=3 840 755 982 336 interface="SATA 6.0 Gbps"

 1 BM  slot="storage-pool" type="raid" raid-type="raid5" raid-device-count=4 raid-members=sata1,sata2,sata3,sata4
       partition-size=11 522 267 947 008 size=11 522 267 947 008 mount-point="storage-pool" file-system=btrfs
       free=9 131 006 455 808

 2 B t slot="pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f" type="file" file-path="/storage-pool/metal-csi/pvc-2f6a4c1e
       -8b1d-4c3a-9f0e-3d5b7a9c1e2f.img" file-size=50.0GiB nvme-tcp-export=yes nvme-tcp-server-port=4420
       nvme-tcp-server-nqn="nqn.2000-02.com.mikrotik:pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f" size=53 687 091 200
`;

/** One entry as a flag string and its `key=value` pairs exactly as printed, for the wrappers below. */
export interface SampleEntry {
  index: number;
  flags: string;
  pairs: string[];
}

/** The kinds of entries a full listing has, with the properties a RouterOS 7 RDS prints (many unknown to us). */
export const SAMPLE_ENTRIES: SampleEntry[] = [
  {
    index: 0,
    flags: 'BM ',
    pairs: [
      'slot="sata1"',
      'slot-default="sata1"',
      'type="hardware"',
      'model="SAMSUNG MZ7LH3T8HMLT-00005"',
      'serial="S456NY0M812345"',
      'fw-version="HXT7404Q"',
      'size=3 840 755 982 336',
      'interface="SATA 6.0 Gbps"',
      'interface-speed=6.0Gbps',
      'raid-master=storage-pool',
      'raid-role=0',
    ],
  },
  {
    index: 1,
    flags: 'BM ',
    pairs: [
      'slot="storage-pool"',
      'type="raid"',
      'raid-type="raid5"',
      'raid-device-count=4',
      'raid-members=sata1,sata2,sata3,sata4',
      'partition-size=11 522 267 947 008',
      'size=11 522 267 947 008',
      'mount-point="storage-pool"',
      'fs=btrfs',
      'fs-label="storage-pool-fs"',
      'free=9 131 006 455 808',
      'use=20%',
    ],
  },
  {
    index: 2,
    flags: 'B t',
    pairs: [
      `slot="${VOLUME_ID}"`,
      'slot-default=""',
      'parent=""',
      'fs=-',
      'type="file"',
      `file-path="/storage-pool/metal-csi/${VOLUME_ID}.img"`,
      'file-size=50.0GiB',
      'file-offset=0',
      'mount-filesystem=yes',
      'mount-read-only=no',
      'compress=no',
      'sector-size=512',
      'raid-master=none',
      'nvme-tcp-export=yes',
      'nvme-tcp-server-port=4420',
      `nvme-tcp-server-nqn="nqn.2000-02.com.mikrotik:${VOLUME_ID}"`,
      'nvme-tcp-server-allow-host-name=""',
      'iscsi-export=no',
      'nfs-sharing=no',
      'smb-sharing=no',
      'size=53 687 091 200',
    ],
  },
  {
    index: 3,
    flags: 'B  ',
    pairs: [
      `slot="${SNAPSHOT_ID}"`,
      'type="file"',
      `file-path=/storage-pool/metal-csi/${SNAPSHOT_ID}.img`,
      'file-size=1024.0MiB',
      'nvme-tcp-export=no',
      'size=1 073 741 824',
    ],
  },
  {
    index: 14,
    flags: 'B t',
    pairs: [
      'slot="pvc-0f923194-922a-5dd8-b376-c2c6ccb56dd8"',
      'type="file"',
      'file-path="/storage-pool/metal-csi/nested/dir/pvc-0f923194-922a-5dd8-b376-c2c6ccb56dd8.img"',
      'file-size=1.5TiB',
      'nvme-tcp-export=yes',
      'nvme-tcp-server-port=4421',
      'nvme-tcp-server-nqn="nqn.2000-02.com.mikrotik:pvc-0f923194-922a-5dd8-b376-c2c6ccb56dd8"',
      'comment-like="a \\"quoted\\" word and a back\\\\slash"',
      'size=1 649 267 441 664',
    ],
  },
];

function entryPrefix(entry: SampleEntry, numberWidth: number): string {
  return `${String(entry.index).padStart(numberWidth)} ${entry.flags} `;
}

/** Every entry on one unwrapped line (the reference the wrapped layouts must parse to). */
export function renderUnwrapped(entries: readonly SampleEntry[]): string {
  const width = String(Math.max(...entries.map((entry) => entry.index))).length + 1;
  return `${FLAGS_HEADER}\n${entries.map((entry) => `${entryPrefix(entry, width)}${entry.pairs.join(' ')}\n`).join('\n')}\n`;
}

/**
 * Simulator/RouterOS layout: pairs fill a line up to `width`; a pair that fits no line is cut at the width (its key,
 * `=` and first value character kept together). Lines end without trailing spaces.
 */
export function renderPairWrapped(entries: readonly SampleEntry[], width: number): string {
  const numberWidth = String(Math.max(...entries.map((entry) => entry.index))).length + 1;
  const blocks = entries.map((entry) => {
    const prefix = entryPrefix(entry, numberWidth);
    const indent = ' '.repeat(prefix.length);
    const lines: string[] = [];
    let line = prefix;
    for (const pair of entry.pairs) {
      const separator = line === prefix || line === indent ? '' : ' ';
      if (line.length + separator.length + pair.length <= width) {
        line += separator + pair;
      } else if (indent.length + pair.length <= width) {
        lines.push(line);
        line = indent + pair;
      } else {
        if (line.length + separator.length + pair.indexOf('=') + 2 > width) {
          lines.push(line);
          line = indent;
        } else {
          line += separator;
        }
        let rest = pair;
        while (line.length + rest.length > width) {
          const room = width - line.length;
          lines.push(line + rest.slice(0, room));
          rest = rest.slice(room);
          line = indent;
        }
        line += rest;
      }
    }
    lines.push(line);
    return `${lines.join('\n')}\n`;
  });
  return `${FLAGS_HEADER}\n${blocks.join('\n')}\n`;
}

/**
 * Hard layout: the entry's one-line text is cut every `width` columns wherever that falls (inside quoted values,
 * paths, numbers, NQNs), and inside key names only with `cutKeys` (a narrow terminal). With `spacesStayOnLine`, a
 * space at the cut ends the line instead of starting the next one (where the indentation would swallow it).
 */
export function renderHardWrapped(
  entries: readonly SampleEntry[],
  width: number,
  spacesStayOnLine: boolean,
  cutKeys = false,
): string {
  const numberWidth = String(Math.max(...entries.map((entry) => entry.index))).length + 1;
  const blocks = entries.map((entry) => {
    const prefix = entryPrefix(entry, numberWidth);
    const text = prefix + entry.pairs.join(' ');
    const keySpans: Array<[number, number]> = [];
    let at = prefix.length;
    for (const pair of entry.pairs) {
      keySpans.push([at, at + pair.indexOf('=') + 1]);
      at += pair.length + 1;
    }
    const lines: string[] = [];
    let start = 0;
    const room = (): number => width - (start === 0 ? 0 : prefix.length);
    while (text.length - start > room()) {
      let cut = start + room();
      const span = !cutKeys && keySpans.find(([keyStart, keyEnd]) => cut > keyStart && cut < keyEnd);
      if (span) cut = text.slice(start, span[0]).trim() !== '' ? span[0] : span[1];
      while (spacesStayOnLine && text[cut] === ' ') cut++;
      lines.push((start === 0 ? '' : ' '.repeat(prefix.length)) + text.slice(start, cut));
      start = cut;
    }
    lines.push((start === 0 ? '' : ' '.repeat(prefix.length)) + text.slice(start));
    return `${lines.join('\n')}\n`;
  });
  return `${FLAGS_HEADER}\n${blocks.join('\n')}\n`;
}

/** Asserts that `fn` throws an RdsCsiError with `code` whose message matches `message` (when given). */
export function assertRdsError(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof RdsCsiError, `expected RdsCsiError, got ${String(err)}`);
    assert.equal(err.code, code, `code of "${err.message}"`);
    if (message) assert.match(err.message, message);
    return true;
  });
}

/** Hostile values for every identifier a command interpolates. */
export const INJECTION_ATTEMPTS: readonly unknown[] = [
  'pvc-x; /system reboot',
  'pvc-x;/system reboot',
  'pvc-x /system reboot',
  'pvc-x"',
  'pvc-x" slot="other',
  "pvc-x'",
  'pvc-x[find]',
  '[find]',
  '$(reboot)',
  '$var',
  '`reboot`',
  'pvc-x\n/system reboot',
  'pvc-x\r',
  'pvc-x\t',
  'pvc-x\\',
  '../etc',
  'pvc-x/../y',
  'PVC-X',
  'pvc-ä',
  'pvc-x；reboot',
  'pvc-\u200bx',
  'pvc-x\u0000',
  '',
  ' ',
  '-pvc',
  'pvc-',
  'a'.repeat(64),
  undefined,
  null,
  42,
  { toString: () => 'pvc-x' },
];

/** Hostile text placed after `<base>/` in a path (each makes the path invalid). */
export const PATH_INJECTIONS: readonly string[] = [
  'x; /system reboot',
  'x;/system reboot',
  'x /system reboot',
  'x"',
  'x" slot="y',
  "x'",
  '[find]',
  'x[find slot=a]',
  '$(reboot)',
  '$var',
  '`reboot`',
  'x\n/system reboot',
  'x\r',
  'x\t',
  'x\\y',
  '../etc',
  'a/../../b',
  '.',
  '..',
  'a//b',
  'ä',
  'x；y',
  'x\u200by',
  'x\u0000',
  ' ',
  'x y',
];

/** Values that are not valid ports or sizes. */
export const NUMBER_INJECTIONS: readonly unknown[] = [
  '4420',
  '4420; /system reboot',
  null,
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  0,
  1.5,
  { valueOf: () => 4420 },
];
