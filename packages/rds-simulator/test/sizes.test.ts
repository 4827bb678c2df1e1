import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGroupedNumber, formatHumanSize, parseSize } from '../src/index.js';

describe('parseSize', () => {
  it('accepts plain bytes and binary units in either case', () => {
    assert.equal(parseSize('4096'), 4096);
    assert.equal(parseSize('512K'), 512 * 1024);
    assert.equal(parseSize('10M'), 10 * 1024 ** 2);
    assert.equal(parseSize('50G'), 50 * 1024 ** 3);
    assert.equal(parseSize('50g'), 50 * 1024 ** 3);
    assert.equal(parseSize('2T'), 2 * 1024 ** 4);
  });

  it('refuses zero, fractions, other units, signs and sizes beyond exact integers', () => {
    for (const bad of [
      '0',
      '0G',
      '1.5G',
      '10GB',
      '10Gi',
      '-1',
      '+1',
      '',
      'G',
      '1 G',
      '8192T',
      '99999999999999999',
    ]) {
      assert.equal(parseSize(bad), undefined, bad);
    }
  });
});

describe('formatHumanSize', () => {
  it('prints one decimal and keeps the smaller unit below 2 of the next', () => {
    assert.equal(formatHumanSize(50 * 1024 ** 3), '50.0GiB');
    assert.equal(formatHumanSize(1024 ** 3), '1024.0MiB');
    assert.equal(formatHumanSize(2 * 1024 ** 3), '2.0GiB');
    assert.equal(formatHumanSize(512 * 1024), '512.0KiB');
    assert.equal(formatHumanSize(1970278), '1924.1KiB');
    assert.equal(formatHumanSize(1.5 * 1024 ** 4), '1536.0GiB');
    assert.equal(formatHumanSize(3 * 1024 ** 4), '3.0TiB');
    assert.equal(formatHumanSize(2047), '2047');
    assert.equal(formatHumanSize(0), '0');
  });
});

describe('formatGroupedNumber', () => {
  it('separates thousands with spaces', () => {
    assert.equal(formatGroupedNumber(53687091200), '53 687 091 200');
    assert.equal(formatGroupedNumber(11522267947008), '11 522 267 947 008');
    assert.equal(formatGroupedNumber(999), '999');
    assert.equal(formatGroupedNumber(1000), '1 000');
    assert.equal(formatGroupedNumber(0), '0');
  });
});
