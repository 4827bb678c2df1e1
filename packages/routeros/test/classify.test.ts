import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RdsCsiError } from '@rds-csi/contracts';
import type { ErrorCode } from '@rds-csi/contracts';
import { classifyCommandResult } from '../src/index.js';
import type { CommandOutcome } from '../src/index.js';
import { ROUTEROS_MD_SAMPLE } from './fixtures.js';

const outcome = (stdout: string, exitCode: number | null = 0, stderr = ''): CommandOutcome => ({
  stdout,
  stderr,
  exitCode,
});

describe('classifyCommandResult: successes', () => {
  const successes: Array<[string, CommandOutcome]> = [
    ['no output, exit 0 (add, set, remove of nothing)', outcome('')],
    ['a listing', outcome(ROUTEROS_MD_SAMPLE)],
    [
      'a listing whose values mention failure words mid-line',
      outcome(' 0 B slot="a" comment="no such item; failure: x"\n'),
    ],
    ['no exit status reported', outcome('', null)],
    ['only whitespace on stderr', outcome('', 0, ' \n')],
  ];
  for (const [name, result] of successes) {
    it(name, () => assert.equal(classifyCommandResult(result), undefined));
  }
});

describe('classifyCommandResult: failures', () => {
  const failures: Array<[string, CommandOutcome, ErrorCode, RegExp]> = [
    [
      'disk full on stdout with exit 0',
      outcome('failure: not enough space\n'),
      'RESOURCE_EXHAUSTED',
      /not enough space/,
    ],
    [
      'disk full with exit 1',
      outcome('failure: not enough space\n', 1),
      'RESOURCE_EXHAUSTED',
      /not enough space/,
    ],
    [
      'disk full on stderr',
      outcome('', 1, 'failure: not enough space\r\n'),
      'RESOURCE_EXHAUSTED',
      /not enough space/,
    ],
    [
      'disk full, indented',
      outcome('  failure: not enough space  \n'),
      'RESOURCE_EXHAUSTED',
      /^RouterOS: failure: not enough space$/,
    ],
    ['slot taken', outcome('failure: slot already used\n'), 'ALREADY_EXISTS', /slot already used/],
    [
      'already have such item',
      outcome('failure: already have such item\n', 1),
      'ALREADY_EXISTS',
      /already have/,
    ],
    ['file exists', outcome('failure: file already exists\n'), 'ALREADY_EXISTS', /already exists/],
    [
      'backing file taken by another disk',
      outcome('failure: file already in use\n'),
      'ALREADY_EXISTS',
      /already in use/,
    ],
    [
      'NQN taken',
      outcome('failure: nvme-tcp-server-nqn already used\n', 1),
      'ALREADY_EXISTS',
      /nqn already used/,
    ],
    [
      'a shrink (the caller checks first, so a bug)',
      outcome('failure: can not shrink file\n'),
      'INTERNAL',
      /can not shrink/,
    ],
    ['missing file', outcome('no such item\n', 1), 'NOT_FOUND', /no such item/],
    ['missing file with exit 0', outcome('no such item\n'), 'NOT_FOUND', /no such item/],
    [
      'no matching value',
      outcome('input does not match any value of copy-from\n'),
      'NOT_FOUND',
      /does not match/,
    ],
    [
      'unknown command',
      outcome('bad command name nvme-tcp (line 1 column 7)\n', 1),
      'INTERNAL',
      /bad command name/,
    ],
    ['syntax error', outcome('syntax error (line 1 column 7)\n'), 'INTERNAL', /syntax error/],
    [
      'trailing garbage in a command',
      outcome('expected end of command (line 1 column 12)\n'),
      'INTERNAL',
      /expected end of command/,
    ],
    ['bad argument value', outcome('invalid value for argument file-size\n'), 'INTERNAL', /invalid value/],
    ['an unknown failure', outcome('failure: execution error\n'), 'INTERNAL', /execution error/],
    [
      'a driver bug together with no such item',
      outcome('no such item\nsyntax error (line 1 column 3)\n'),
      'INTERNAL',
      /syntax error/,
    ],
    [
      'an unknown failure together with no such item',
      outcome('no such item\nfailure: device busy\n'),
      'INTERNAL',
      /device busy/,
    ],
    [
      'disk full together with no such item',
      outcome('no such item\nfailure: not enough space\n'),
      'RESOURCE_EXHAUSTED',
      /not enough space/,
    ],
    [
      'a failure after listing output',
      outcome(`${ROUTEROS_MD_SAMPLE}failure: not enough space\n`),
      'RESOURCE_EXHAUSTED',
      /not enough space/,
    ],
    [
      'non-zero exit with unknown output',
      outcome('something odd happened\n', 1),
      'INTERNAL',
      /exit status 1: something odd happened$/,
    ],
    ['non-zero exit without output', outcome('', 2), 'INTERNAL', /exit status 2: \(no output\)/],
    [
      'non-zero exit with text on stderr',
      outcome('', 1, 'channel error\n'),
      'INTERNAL',
      /exit status 1: channel error/,
    ],
    ['unexplained stderr with exit 0', outcome('', 0, 'warning: odd\n'), 'INTERNAL', /stderr: warning: odd/],
    [
      'copy from a disabled or inactive disk',
      outcome('failure: copy-from disk is not active\n'),
      'FAILED_PRECONDITION',
      /copy-from disk is not active/,
    ],
    [
      'copy-from not active printed without the failure: prefix',
      outcome('copy-from disk is not active\n'),
      'FAILED_PRECONDITION',
      /copy-from disk is not active/,
    ],
    [
      'complete-looking listing cut at the read limit',
      { stdout: ' 0 slot="a" type=file\n\n', stderr: '', exitCode: 0, truncated: true },
      'INTERNAL',
      /cut at the read limit/,
    ],
    [
      'killed by a signal',
      { stdout: 'partial', stderr: '', exitCode: null, signal: 'KILL' },
      'UNAVAILABLE',
      /signal KILL/,
    ],
  ];
  for (const [name, result, code, message] of failures) {
    it(`${name} -> ${code}`, () => {
      const err = classifyCommandResult(result);
      assert.ok(err instanceof RdsCsiError);
      assert.equal(err.code, code);
      assert.match(err.message, message);
    });
  }

  it('bounds the output quoted in messages', () => {
    const huge = `${'x'.repeat(100_000)}\n`;
    for (const result of [outcome(huge, 1), outcome(`failure: ${huge}`), outcome('', 0, huge)]) {
      const err = classifyCommandResult(result);
      assert.ok(err && err.message.length < 600, `message length ${err?.message.length}`);
      assert.match(err.message, /more characters\)$/);
    }
  });

  it('keeps messages on one line without control characters', () => {
    const err = classifyCommandResult(outcome('first\r\n\x1b[31msecond\x00\n', 1));
    assert.equal(err?.message, 'RouterOS command failed with exit status 1: first [31msecond');
  });
});
