import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinContinuation, tokenizePairs } from '../src/index.js';

const pairsOf = (text: string): Array<[string, string]> => {
  const result = tokenizePairs(text);
  assert.equal(result.kind, 'complete', `tokenizing ${JSON.stringify(text)}`);
  return result.pairs.map(({ key, value }) => [key, value]);
};

describe('tokenizePairs', () => {
  const cases: Array<[string, string, Array<[string, string]>]> = [
    [
      'bare values',
      'type=file fs=- compress=no',
      [
        ['type', 'file'],
        ['fs', '-'],
        ['compress', 'no'],
      ],
    ],
    [
      'quoted values',
      'slot="sata1" model="SAMSUNG MZ7LH3T8"',
      [
        ['slot', 'sata1'],
        ['model', 'SAMSUNG MZ7LH3T8'],
      ],
    ],
    [
      'empty quoted value',
      'slot-default="" parent=""',
      [
        ['slot-default', ''],
        ['parent', ''],
      ],
    ],
    [
      'empty bare value',
      'a= b=1',
      [
        ['a', ''],
        ['b', '1'],
      ],
    ],
    [
      'bare value with spaces (exact number)',
      'size=53 687 091 200 free=1',
      [
        ['size', '53 687 091 200'],
        ['free', '1'],
      ],
    ],
    [
      'bare value with spaces (time)',
      'last-modified=2025-11-11 14:32:41 x=1',
      [
        ['last-modified', '2025-11-11 14:32:41'],
        ['x', '1'],
      ],
    ],
    [
      'bare value with spaces (/file type)',
      'type=.img file size=10.0GiB',
      [
        ['type', '.img file'],
        ['size', '10.0GiB'],
      ],
    ],
    ['bare value with commas', 'raid-members=sata1,sata2,sata3', [['raid-members', 'sata1,sata2,sata3']]],
    [
      'bare path',
      'file-path=/storage-pool/a.img x=1',
      [
        ['file-path', '/storage-pool/a.img'],
        ['x', '1'],
      ],
    ],
    [
      'bare value containing =',
      'contents=a=b c=d',
      [
        ['contents', 'a=b'],
        ['c', 'd'],
      ],
    ],
    [
      'partition-size before size',
      'partition-size=2 048 size=1 024',
      [
        ['partition-size', '2 048'],
        ['size', '1 024'],
      ],
    ],
    ['escaped quote and backslash', 'c="a \\"b\\" c\\\\d"', [['c', 'a "b" c\\d']]],
    ['named escapes', 'c="\\n\\t\\_\\$\\?\\r"', [['c', '\n\t $?\r']]],
    ['hex escapes (uppercase)', 'c="\\41\\7A\\3D"', [['c', 'Az=']]],
    ['unknown escape keeps the character', 'c="\\q"', [['c', 'q']]],
    [
      'quoted value with key=value inside',
      'c="x=1 y=2" d=3',
      [
        ['c', 'x=1 y=2'],
        ['d', '3'],
      ],
    ],
    [
      'extra whitespace and tabs',
      '  a=1 \t  b="2"   ',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    ['empty text', '', []],
    ['only spaces', '   ', []],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(pairsOf(text), expected));
  }

  const open: Array<[string, string, string]> = [
    ['cut inside a quoted value', 'slot="pvc-1" file-path="/storage-pool/met', 'file-path'],
    ['cut right after the opening quote', 'a="', 'a'],
    ['cut after a backslash', 'a="x\\', 'a'],
    ['cut inside a hex escape', 'a="x\\4', 'a'],
    ['escaped quote does not close', 'a="x\\"', 'a'],
  ];
  for (const [name, text, key] of open) {
    it(`reports an open quote: ${name}`, () => {
      const result = tokenizePairs(text);
      assert.equal(result.kind, 'open-quote');
      assert.equal(result.kind === 'open-quote' && result.key, key);
    });
  }

  const garbage: Array<[string, string, number]> = [
    ['a word without = after a quoted value', 'slot="a" garbage', 9],
    ['text before the first key', 'failure: not enough space', 0],
    ['uppercase key', 'Slot=a', 0],
    ['text glued to a closing quote', 'a="x"y b=1', 5],
    ['a lone =', '=x', 0],
    ['unicode key', 'slöt=1', 0],
  ];
  for (const [name, text, offset] of garbage) {
    it(`reports garbage: ${name}`, () => {
      const result = tokenizePairs(text);
      assert.equal(result.kind, 'garbage');
      assert.equal(result.kind === 'garbage' && result.offset, offset);
    });
  }

  it('tokenizes long bare values in linear time', () => {
    const text = `a=${'x '.repeat(200_000)}b=1`;
    const result = tokenizePairs(text);
    assert.equal(result.kind, 'complete');
    assert.equal(result.pairs[1]?.value, '1');
  });
});

describe('joinContinuation', () => {
  const cases: Array<[string, string, string, boolean, string]> = [
    ['new property after a complete value', 'a=1', 'b=2', false, 'a=1 b=2'],
    ['new property after a trailing space', 'a=1 ', 'b=2', false, 'a=1 b=2'],
    [
      'bare value cut mid-token (path)',
      'file-path=/storage-pool/met',
      'al-csi/x.img',
      false,
      'file-path=/storage-pool/metal-csi/x.img',
    ],
    ['bare value cut after =', 'size=', '53 687', false, 'size=53 687'],
    ['bare value cut at a kept space', 'size=53 ', '687 091', false, 'size=53 687 091'],
    [
      'quoted value cut mid-token',
      'n="nqn.2000-02.com.mik',
      'rotik:pvc-1"',
      true,
      'n="nqn.2000-02.com.mikrotik:pvc-1"',
    ],
    ['quoted value continuing with text that looks like key=', 'c="x ', 'y=1"', true, 'c="x y=1"'],
    ['quoted value cut before a space', 'c="SATA', ' 6.0 Gbps"', true, 'c="SATA 6.0 Gbps"'],
    ['key cut before =', 'file-path', '="/x"', false, 'file-path="/x"'],
    ['first piece of an entry', '', 'slot=a', false, 'slot=a'],
    ['closing quote at the start of the next line', 'a="x', '" b=1', true, 'a="x" b=1'],
  ];
  for (const [name, text, piece, insideQuotes, expected] of cases) {
    it(name, () => assert.equal(joinContinuation(text, piece, insideQuotes), expected));
  }
});
