import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GIB,
  KIB,
  MAX_VOLUME_BYTES,
  MIB,
  PIB,
  TIB,
  formatSizeArg,
  parseHumanSize,
  parseSpacedInteger,
  roundUpSize,
} from '../src/index.js';
import { assertRdsError } from './fixtures.js';

describe('roundUpSize', () => {
  const cases: Array<[number, number]> = [
    [1, MIB],
    [KIB, MIB],
    [MIB - 1, MIB],
    [MIB, MIB],
    [MIB + 1, 2 * MIB],
    [GIB, GIB],
    [GIB + 1, GIB + MIB],
    [GIB - 1, GIB],
    [10 * GIB - 1, 10 * GIB],
    [1_000_000_000, 954 * MIB],
    [MAX_VOLUME_BYTES - 1, MAX_VOLUME_BYTES],
    [MAX_VOLUME_BYTES, MAX_VOLUME_BYTES],
  ];
  for (const [bytes, expected] of cases) {
    it(`rounds ${bytes} up to ${expected}`, () => {
      const rounded = roundUpSize(bytes);
      assert.equal(rounded, expected);
      assert.ok(rounded >= bytes, 'never truncates');
      assert.equal(rounded % MIB, 0);
    });
  }

  it('rejects sizes that are not positive whole numbers with INVALID_ARGUMENT', () => {
    for (const bytes of [
      0,
      -1,
      -MIB,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 53,
      '1024',
      null,
      undefined,
      10n,
    ]) {
      assertRdsError(() => roundUpSize(bytes), 'INVALID_ARGUMENT', /size/);
    }
  });

  it('rejects sizes above 1 PiB with OUT_OF_RANGE', () => {
    for (const bytes of [MAX_VOLUME_BYTES + 1, 2 * PIB, Number.MAX_SAFE_INTEGER]) {
      assertRdsError(() => roundUpSize(bytes), 'OUT_OF_RANGE', /maximum/);
    }
  });
});

describe('formatSizeArg', () => {
  const cases: Array<[number, string]> = [
    [1, '1M'],
    [MIB, '1M'],
    [MIB + 1, '2M'],
    [3 * MIB, '3M'],
    [GIB, '1G'],
    [GIB - 1, '1G'],
    [GIB + 1, '1025M'],
    [1536 * MIB, '1536M'],
    [50 * GIB, '50G'],
    [TIB, '1024G'],
    [1_000_000_000, '954M'],
    [PIB, '1048576G'],
  ];
  for (const [bytes, expected] of cases) {
    it(`writes ${bytes} bytes as ${expected}`, () => assert.equal(formatSizeArg(bytes), expected));
  }

  it('validates like roundUpSize', () => {
    assertRdsError(() => formatSizeArg(0), 'INVALID_ARGUMENT');
    assertRdsError(() => formatSizeArg(PIB + 1), 'OUT_OF_RANGE');
  });
});

describe('parseSpacedInteger', () => {
  const cases: Array<[string, number]> = [
    ['0', 0],
    ['512', 512],
    ['4 096', 4096],
    ['53 687 091 200', 53_687_091_200],
    ['11 522 267 947 008', 11_522_267_947_008],
    ['53687091200', 53_687_091_200],
    ['53687 091 200', 53_687_091_200],
    ['53 687091 200', 53_687_091_200],
    ['9 007 199 254 740 991', Number.MAX_SAFE_INTEGER],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseSpacedInteger(text), expected));
  }

  const garbage = [
    '',
    ' ',
    '53 687 09',
    '53 68 091',
    '53  687',
    ' 53',
    '53 ',
    '1,000',
    '1_000',
    '0x10',
    '-5',
    '5.0',
    'abc',
    '12a',
    '1e3',
    '9 007 199 254 740 992',
  ];
  for (const text of garbage) {
    it(`rejects ${JSON.stringify(text)} with INTERNAL (never 0 or NaN)`, () => {
      assertRdsError(() => parseSpacedInteger(text), 'INTERNAL');
    });
  }
});

describe('parseHumanSize', () => {
  const cases: Array<[string, number]> = [
    ['50.0GiB', 50 * GIB],
    ['1024.0MiB', GIB],
    ['512.0KiB', 512 * KIB],
    ['1.5TiB', 1.5 * TIB],
    ['0.5PiB', PIB / 2],
    ['3.0GiB', 3 * GIB],
    ['50GiB', 50 * GIB],
    ['50.0 GiB', 50 * GIB],
    ['1.1GiB', 1_181_116_006],
    ['0.1KiB', 102],
    ['0.0KiB', 0],
    ['53 687 091 200', 53_687_091_200],
    ['4096', 4096],
    ['4096B', 4096],
    ['4 096 B', 4096],
    ['0', 0],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)} as ${expected}`, () => assert.equal(parseHumanSize(text), expected));
  }

  const garbage = [
    '',
    'GiB',
    '50.0',
    '50.0GB',
    '50.0G',
    '50.0gib',
    '50.0 G',
    '-1GiB',
    '1e3GiB',
    '.5GiB',
    '5.GiB',
    'NaN',
    '50.0GiB extra',
    '1 2',
    '9 999 999 999 999 999 999',
    '99999999PiB',
  ];
  for (const text of garbage) {
    it(`rejects ${JSON.stringify(text)} with INTERNAL`, () =>
      assertRdsError(() => parseHumanSize(text), 'INTERNAL'));
  }

  it('rejects non-strings with INTERNAL instead of crashing', () => {
    assertRdsError(() => parseHumanSize(undefined as unknown as string), 'INTERNAL');
    assertRdsError(() => parseSpacedInteger(42 as unknown as string), 'INTERNAL');
  });
});
