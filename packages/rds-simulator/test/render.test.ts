import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition } from '../src/grammar.js';
import { bare, grouped, matchesFilter, quoted, renderDetail, wrapPairs, type Entry } from '../src/render.js';

const NQN = 'nqn.2000-02.com.mikrotik:pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f';

describe('wrapPairs', () => {
  const pairs = [
    'slot="pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f"',
    'type="file"',
    'file-path="/storage-pool/metal-csi/pvc-2f6a4c1e-8b1d-4c3a-9f0e-3d5b7a9c1e2f.img"',
    'nvme-tcp-export=yes',
    `nvme-tcp-server-nqn="${NQN}"`,
    'size=53 687 091 200',
  ];
  const lines = wrapPairs(pairs, ' 5 B t ', 79);

  it('never passes the wrap column and indents continuation lines under the first pair', () => {
    for (const line of lines) assert.ok(line.length <= 79, line);
    for (const line of lines.slice(1)) assert.match(line, /^ {7}\S/);
  });

  it('cuts values longer than a line mid-value, and only inside the value', () => {
    const filePathLine = lines.findIndex((line) => line.includes('file-path="'));
    assert.ok(!lines[filePathLine]?.includes('.img"'), 'the file path continues on the next line');
    assert.equal(lines[filePathLine]?.length, 79, 'a cut line is filled to the wrap column');
    const nqnLine = lines.findIndex((line) => line.includes('nvme-tcp-server-nqn="'));
    assert.ok(!lines[nqnLine]?.includes(`${NQN}"`), 'the NQN continues on the next line');
  });

  it('keeps short pairs whole (a grouped number is never split)', () => {
    assert.ok(lines.some((line) => line.includes('size=53 687 091 200')));
    assert.ok(lines.some((line) => line.endsWith('type="file"') || line.includes(' type="file" ')));
  });

  it('loses nothing: gluing the lines back (cut lines without a space) restores the pairs', () => {
    const glued = lines.reduce((acc, line, index) => {
      const content = line.slice(7);
      if (index === 0) return content;
      const previousWasCut = (lines[index - 1]?.length ?? 0) === 79;
      return previousWasCut ? acc + content : `${acc} ${content}`;
    }, '');
    assert.equal(glued, pairs.join(' '));
  });
});

describe('renderDetail', () => {
  const entry = (slot: string, flags: string): Entry => ({
    flags,
    properties: [quoted('slot', slot), bare('x', 1)],
  });

  it('prints the header, right-aligned numbers, positional flags and a blank line after each entry', () => {
    const text = renderDetail([entry('a', 'BM'), entry('b', 'B t')], [3, 12], {
      header: ['Flags: B - BLOCK-DEVICE'],
      flagWidth: 3,
      wrapColumn: 79,
    });
    assert.equal(text, 'Flags: B - BLOCK-DEVICE\n  3 BM  slot="a" x=1\n\n 12 B t slot="b" x=1\n\n');
  });

  it('leaves the flag block out for menus without flags', () => {
    const text = renderDetail([entry('a', '')], [0], { header: [], flagWidth: 0, wrapColumn: 79 });
    assert.equal(text, ' 0 slot="a" x=1\n\n');
  });

  it('escapes quotes, backslashes and dollars in quoted values', () => {
    assert.equal(quoted('slot', 'a"b\\c$d').shown, '"a\\"b\\\\c\\$d"');
  });
});

describe('matchesFilter', () => {
  const item: Entry = { flags: '', properties: [quoted('slot', 'pvc-1'), grouped('size', 1073741824)] };
  const matches = (...conditions: Condition[]) => matchesFilter(item, [conditions]);

  it('compares with =, != and ~ on the unquoted value, numbers without separators', () => {
    assert.ok(matches({ property: 'slot', operator: '=', value: 'pvc-1' }));
    assert.ok(matches({ property: 'size', operator: '=', value: '1073741824' }));
    assert.ok(matches({ property: 'slot', operator: '~', value: '^pvc-' }));
    assert.ok(matches({ property: 'slot', operator: '!=', value: 'pvc-2' }));
    assert.ok(!matches({ property: 'slot', operator: '~', value: '^snap-' }));
    assert.ok(!matches({ property: 'mount-point', operator: '=', value: 'pvc-1' }));
    assert.ok(matches());
  });

  it('holds when any alternative holds, each only when all its conditions do', () => {
    const slot = (value: string): Condition => ({ property: 'slot', operator: '=', value });
    assert.ok(matchesFilter(item, [[slot('pvc-2')], [slot('pvc-1')]]));
    assert.ok(!matchesFilter(item, [[slot('pvc-2')], [slot('pvc-3')]]));
    assert.ok(!matchesFilter(item, [[slot('pvc-1'), slot('pvc-2')]]));
    assert.ok(!matchesFilter(item, []));
  });
});
