import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyWatchEnd } from '../src/index.js';

describe('classifyWatchEnd', () => {
  it('names why a watch ended', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const http = (statusCode: number) => Object.assign(new Error('status'), { statusCode });
    const cases: [unknown, number | undefined, string][] = [
      [null, undefined, 'closed'],
      [null, 410, 'gone'],
      [http(410), undefined, 'gone'],
      [Object.assign(new Error('gone'), { code: 410 }), undefined, 'gone'],
      [null, 500, 'watch-error'],
      [timeout, undefined, 'silent'],
      [new TypeError('terminated'), undefined, 'watch-error'],
      [http(500), undefined, 'watch-error'],
      [http(401), undefined, 'watch-error'],
    ];
    for (const [err, code, reason] of cases)
      assert.equal(classifyWatchEnd(err, code), reason, `${String(err)} / ${code}`);
  });
});
