import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDisks, parsePrintDetail } from '../src/index.js';
import {
  FLAGS_HEADER,
  ROUTEROS_MD_SAMPLE,
  SAMPLE_ENTRIES,
  VOLUME_ID,
  assertRdsError,
  renderHardWrapped,
  renderPairWrapped,
  renderUnwrapped,
} from './fixtures.js';
import type { SampleEntry } from './fixtures.js';

describe('parsePrintDetail on the ROUTEROS.md sample', () => {
  it('reads every entry, flag and property exactly', () => {
    assert.deepEqual(parsePrintDetail(ROUTEROS_MD_SAMPLE), [
      {
        index: 0,
        flags: 'BM',
        props: {
          slot: 'sata1',
          type: 'hardware',
          model: 'SAMSUNG MZ7LH3T8',
          serial: 'S456NY0M8',
          'fw-version': 'HXT7404Q',
          size: '3 840 755 982 336',
          interface: 'SATA 6.0 Gbps',
        },
      },
      {
        index: 1,
        flags: 'BM',
        props: {
          slot: 'storage-pool',
          type: 'raid',
          'raid-type': 'raid5',
          'raid-device-count': '4',
          'raid-members': 'sata1,sata2,sata3,sata4',
          'partition-size': '11 522 267 947 008',
          size: '11 522 267 947 008',
          'mount-point': 'storage-pool',
          'file-system': 'btrfs',
          free: '9 131 006 455 808',
        },
      },
      {
        index: 2,
        flags: 'Bt',
        props: {
          slot: VOLUME_ID,
          type: 'file',
          'file-path': `/storage-pool/metal-csi/${VOLUME_ID}.img`,
          'file-size': '50.0GiB',
          'nvme-tcp-export': 'yes',
          'nvme-tcp-server-port': '4420',
          'nvme-tcp-server-nqn': `nqn.2000-02.com.mikrotik:${VOLUME_ID}`,
          size: '53 687 091 200',
        },
      },
    ]);
  });

  it('reads the same with CRLF line endings and terminal colours', () => {
    const crlf = ROUTEROS_MD_SAMPLE.replace(/\n/g, '\r\n');
    const coloured = ROUTEROS_MD_SAMPLE.replace('slot="sata1"', '\x1b[1;32mslot\x1b[0m="sata1"').replace(
      /^ 2 /m,
      '\x1b[m 2 ',
    );
    assert.deepEqual(parsePrintDetail(crlf), parsePrintDetail(ROUTEROS_MD_SAMPLE));
    assert.deepEqual(parsePrintDetail(coloured), parsePrintDetail(ROUTEROS_MD_SAMPLE));
  });
});

describe('wrapped values', () => {
  const reference = parsePrintDetail(renderUnwrapped(SAMPLE_ENTRIES));
  const referenceDisks = parseDisks(renderUnwrapped(SAMPLE_ENTRIES));

  it('the reference listing has every sample entry', () => {
    assert.equal(reference.length, SAMPLE_ENTRIES.length);
    assert.equal(reference[4]?.props['comment-like'], 'a "quoted" word and a back\\slash');
  });

  // From 44 columns on, the longest key (32 characters) fits after the indentation, so pairs are cut only in values.
  it('parses pair-wrapped layouts (RouterOS/simulator style) at every width from 44 to 140', () => {
    let midValueCuts = 0;
    for (let width = 44; width <= 140; width++) {
      const text = renderPairWrapped(SAMPLE_ENTRIES, width);
      midValueCuts += text.split('\n').filter((line) => /^ +[^a-z ]/.test(line)).length;
      assert.deepEqual(parsePrintDetail(text), reference, `width ${width}:\n${text}`);
    }
    assert.ok(midValueCuts > 100, `the layouts cut values mid-value (${midValueCuts} cuts)`);
  });

  it('parses layouts cut at a fixed column anywhere outside keys, at every width from 24 to 140', () => {
    for (let width = 24; width <= 140; width++) {
      const kept = renderHardWrapped(SAMPLE_ENTRIES, width, true);
      assert.deepEqual(parsePrintDetail(kept), reference, `width ${width}:\n${kept}`);
      // A space pushed to the start of a line merges with the indentation: numbers still read the same.
      const lost = renderHardWrapped(SAMPLE_ENTRIES, width, false);
      assert.deepEqual(parseDisks(lost), referenceDisks, `width ${width}:\n${lost}`);
    }
  });

  it('parses layouts cut at a fixed column even inside property names (narrow terminals), widths 24 to 140', () => {
    let keyCuts = 0;
    for (let width = 24; width <= 140; width++) {
      const text = renderHardWrapped(SAMPLE_ENTRIES, width, true, true);
      keyCuts += text.split('\n').filter((line) => /^ +[a-z-]+$|[ "][a-z][a-z-]*$/.test(line)).length;
      assert.deepEqual(parsePrintDetail(text), reference, `width ${width}:\n${text}`);
    }
    assert.ok(keyCuts > 50, `the layouts cut property names (${keyCuts} cuts)`);
  });

  it('reads a wrapped nvme-tcp-server-port name as RouterOS prints it on a 40-column terminal', () => {
    const text = [
      FLAGS_HEADER,
      ' 5  B t slot="pvc-a" type="file" file-pa',
      '        th="/storage-pool/metal-csi/pvc-',
      '        a.img" file-size=1024.0MiB nvme-',
      '        tcp-export=yes nvme-tcp-server-p',
      '        ort=4420 size=1 073 741 824',
      '',
    ].join('\n');
    assert.deepEqual(parsePrintDetail(text)[0]?.props, {
      slot: 'pvc-a',
      type: 'file',
      'file-path': '/storage-pool/metal-csi/pvc-a.img',
      'file-size': '1024.0MiB',
      'nvme-tcp-export': 'yes',
      'nvme-tcp-server-port': '4420',
      size: '1 073 741 824',
    });
  });

  for (const entry of SAMPLE_ENTRIES) {
    it(`parses entry ${entry.index} cut in two at every position outside a key`, () => {
      for (const [first, second] of everyCut(entry)) {
        const text = `${FLAGS_HEADER}\n${first}\n${second}\n`;
        const only = referenceDisks.find((disk) => disk.index === entry.index);
        assert.deepEqual(parseDisks(text), [only], text);
      }
    });
  }

  it('keeps a quoted value that continues with text looking like key=value', () => {
    const text = ' 0   slot="a" note="see: \n     b=1 c=2" type=file\n';
    assert.deepEqual(parsePrintDetail(text)[0]?.props, { slot: 'a', note: 'see: b=1 c=2', type: 'file' });
  });

  it('does not take a wrapped quoted value that starts with a number for a new entry', () => {
    const text = ' 0 B  slot="sata1" interface="SATA 6.0\n 3 Gbps" type=hardware\n';
    assert.deepEqual(parsePrintDetail(text)[0]?.props, {
      slot: 'sata1',
      interface: 'SATA 6.03 Gbps',
      type: 'hardware',
    });
  });

  it('does not take a wrapped number on a continuation line for a new entry', () => {
    const text = ' 7 BM  slot="storage-pool" type=raid size=11 522\n       267 947 008 free=1 024\n';
    const entries = parsePrintDetail(text);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.props.size, '11 522267 947 008');
    assert.equal(parseDisks(text)[0]?.sizeBytes, 11_522_267_947_008);
  });
});

/** Every split of an entry's one-line text into a header line and one indented continuation line. */
function everyCut(entry: SampleEntry): Array<[string, string]> {
  const prefix = `${String(entry.index).padStart(3)} ${entry.flags} `;
  const text = prefix + entry.pairs.join(' ');
  const insideKey = new Set<number>();
  let at = prefix.length;
  for (const pair of entry.pairs) {
    for (let i = at + 1; i <= at + pair.indexOf('='); i++) insideKey.add(i);
    at += pair.length + 1;
  }
  const cuts: Array<[string, string]> = [];
  for (let cut = prefix.length + 1; cut < text.length; cut++) {
    if (!insideKey.has(cut)) cuts.push([text.slice(0, cut), ' '.repeat(prefix.length) + text.slice(cut)]);
  }
  return cuts;
}

describe('listing layout', () => {
  const empty = [
    '',
    '\n',
    '   \n\n',
    `${FLAGS_HEADER}\n`,
    `${FLAGS_HEADER}\nColumns: SLOT, TYPE\n\n`,
    `${FLAGS_HEADER}\r\n\r\n`,
  ];
  for (const text of empty) {
    it(`an empty listing ${JSON.stringify(text)} has no entries`, () =>
      assert.deepEqual(parsePrintDetail(text), []));
  }

  it('skips a Flags legend wrapped onto more lines, indented or not', () => {
    const text = [
      'Flags: X - DISABLED; E - EMPTY; B - BLOCK-DEVICE; M - MOUNTED; F - FORMATTING; r - RAID-MEMBER;',
      '  f - RAID-MEMBER-FAILED; t - NVME-TCP-EXPORT; i - ISCSI-EXPORT',
      's - SMB-SHARING; n - NFS-SHARING; m - MEDIA-SHARING',
      'Columns: SLOT, TYPE, SIZE',
      ' 0 B t slot="a" type="file"',
      '',
    ].join('\n');
    assert.deepEqual(parsePrintDetail(text), [{ index: 0, flags: 'Bt', props: { slot: 'a', type: 'file' } }]);
  });

  it('reads entries without flags, without a header, and with deeper continuation indentation', () => {
    const text = [
      ' 0  type=file slot="pvc-test-1" size=53 687 091 200',
      '               file-path=/storage-pool/test1.img file-size=50.0GiB',
      '               nvme-tcp-export=yes nvme-tcp-server-port=4420',
      '',
      ' 1  type=file slot="pvc-test-2"',
    ].join('\n');
    const entries = parsePrintDetail(text);
    assert.deepEqual(
      entries.map((entry) => [entry.index, entry.flags, Object.keys(entry.props).length]),
      [
        [0, '', 7],
        [1, '', 2],
      ],
    );
    assert.equal(entries[0]?.props['file-path'], '/storage-pool/test1.img');
  });

  it('reads entries that follow each other without blank lines, numbered from 10 up and with gaps', () => {
    const text =
      ' 9 B  slot="a" type=file\n10 BM slot="b" type=raid\n      free=1\n123 X slot="c" type=file\n';
    assert.deepEqual(
      parsePrintDetail(text).map((entry) => [entry.index, entry.flags, entry.props.slot]),
      [
        [9, 'B', 'a'],
        [10, 'BM', 'b'],
        [123, 'X', 'c'],
      ],
    );
  });

  it('reads ;;; comments, also wrapped, as the comment property', () => {
    const text =
      ' 0   ;;; managed by rds-csi, do not\n     touch\n     slot="pvc-a" type=file\n 1 X ;;; disabled\n     slot="b" type=file\n';
    assert.deepEqual(parsePrintDetail(text), [
      {
        index: 0,
        flags: '',
        props: { comment: 'managed by rds-csi, do nottouch', slot: 'pvc-a', type: 'file' },
      },
      { index: 1, flags: 'X', props: { comment: 'disabled', slot: 'b', type: 'file' } },
    ]);
  });

  it('reads an entry whose properties all start on the next line', () => {
    const text = ' 0 BM\n       slot="sata1" type=hardware\n       size=1 024\n';
    assert.deepEqual(parsePrintDetail(text)[0], {
      index: 0,
      flags: 'BM',
      props: { slot: 'sata1', type: 'hardware', size: '1 024' },
    });
  });

  it('ignores unknown properties by keeping them as plain props', () => {
    const text = ' 0 B slot="x" type=file brand-new-field="v" x-1=2\n';
    assert.deepEqual(parsePrintDetail(text)[0]?.props, {
      slot: 'x',
      type: 'file',
      'brand-new-field': 'v',
      'x-1': '2',
    });
  });
});

describe('malformed output is INTERNAL, never a crash or a guess', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'an error message instead of a listing',
      'failure: not enough space\n',
      /unexpected text before the first entry/,
    ],
    ['a table print instead of detail', ' #  SLOT   TYPE\n 0  sata1  hardware\n', /unexpected text/],
    [
      'output truncated inside a quoted value',
      ` 0 B t slot="${VOLUME_ID}" file-path="/storage-pool/met`,
      /not terminated/,
    ],
    ['output truncated inside an escape', ' 0 B slot="a\\', /not terminated/],
    ['a blank line inside a quoted value', ' 0 B slot="a\n\n       b"\n', /not terminated/],
    ['text glued to a closing quote', ' 0 B slot="a"b type=file\n', /expected key=value/],
    ['a word after a quoted value', ' 0 B slot="a" garbage\n', /expected key=value at "garbage"/],
    [
      'a continuation line of garbage after a quoted value',
      ' 0 B slot="a"\n      !!!\n',
      /expected key=value/,
    ],
    ['a duplicated property', ' 0 B slot="a" size=1 size=2\n', /size appears twice/],
    ['a stray line between entries', ' 0 B slot="a"\n\nsome text\n 1 B slot="b"\n', /unexpected text/],
    ['an absurd entry number', '99999999999999999999 slot="a"\n', /too large/],
    ['an endless entry', ` 0 B slot="a" x="${'y'.repeat(20_000)}"\n`, /longer than/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => assertRdsError(() => parsePrintDetail(text), 'INTERNAL', message));
  }

  it('rejects non-text input', () => {
    assertRdsError(() => parsePrintDetail(undefined as unknown as string), 'INTERNAL', /expected text/);
  });

  it('bounds the output quoted in error messages', () => {
    assertRdsError(() => parsePrintDetail(`${'z'.repeat(5000)}\n`), 'INTERNAL', /^.{0,250}$/);
  });
});
