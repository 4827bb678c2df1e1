import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliParseError, tokenize } from '../src/lexer.js';
import { parseCommandLine, type ParsedCommand } from '../src/parser.js';

const parse = (line: string, nvmeTcpMenu = false): ParsedCommand[] => parseCommandLine(line, { nvmeTcpMenu });

function refusal(line: string, nvmeTcpMenu = false): string {
  try {
    parse(line, nvmeTcpMenu);
  } catch (err) {
    if (err instanceof CliParseError) return err.message;
    throw err;
  }
  throw new Error(`expected ${line} to be refused`);
}

describe('tokenize', () => {
  it('reads quoted strings with escapes and reports 1-based columns', () => {
    const tokens = tokenize('/file remove "a\\"b\\\\c\\_d\\41"');
    assert.deepEqual(
      tokens.map((token) => [token.kind, token.text, token.column]),
      [
        ['word', '/file', 1],
        ['word', 'remove', 7],
        ['string', 'a"b\\c dA', 14],
        ['end', '', 29],
      ],
    );
  });

  it('counts lines after a newline', () => {
    const tokens = tokenize('/disk print\n/file print');
    assert.deepEqual(
      tokens.map((token) => [token.text, token.line, token.column]),
      [
        ['/disk', 1, 1],
        ['print', 1, 7],
        ['\n', 1, 12],
        ['/file', 2, 1],
        ['print', 2, 7],
        ['', 2, 12],
      ],
    );
  });
});

describe('parseCommandLine', () => {
  it('parses the driver create command into typed arguments', () => {
    const [command] = parse(
      '/disk add type=file file-path=/storage-pool/metal-csi/pvc-1.img file-size=10G slot=pvc-1 ' +
        'nvme-tcp-export=yes nvme-tcp-server-port=4420 nvme-tcp-server-nqn=nqn.2000-02.com.mikrotik:pvc-1',
    );
    assert.equal(command?.menu, 'disk');
    assert.equal(command?.verb, 'add');
    assert.deepEqual(Object.fromEntries(command?.args ?? []), {
      type: 'file',
      'file-path': '/storage-pool/metal-csi/pvc-1.img',
      'file-size': 10 * 1024 ** 3,
      slot: 'pvc-1',
      'nvme-tcp-export': true,
      'nvme-tcp-server-port': 4420,
      'nvme-tcp-server-nqn': 'nqn.2000-02.com.mikrotik:pvc-1',
    });
  });

  it('accepts slash paths, space paths and relative paths alike', () => {
    for (const line of [
      '/disk/print detail',
      '/disk print detail',
      'disk print detail',
      'disk/print detail',
    ]) {
      const [command] = parse(line);
      assert.equal(`${command?.menu} ${command?.verb}`, 'disk print', line);
      assert.ok(command?.flags.has('detail'), line);
    }
  });

  it('parses copy-from=[find ...], item lists and where conditions', () => {
    const [snapshot] = parse(
      '/disk add type=file file-path=/storage-pool/s.img copy-from=[find slot=pvc-1] slot=s',
    );
    assert.deepEqual(snapshot?.args.get('copy-from'), {
      kind: 'find',
      conditions: [[{ property: 'slot', operator: '=', value: 'pvc-1' }]],
    });
    const [remove] = parse('/disk remove [find where slot=pvc-1 and type="file"]');
    assert.deepEqual(remove?.items, {
      kind: 'find',
      conditions: [
        [
          { property: 'slot', operator: '=', value: 'pvc-1' },
          { property: 'type', operator: '=', value: 'file' },
        ],
      ],
    });
    const [fileRemove] = parse('/file remove "storage-pool/metal-csi/pvc-1.img"');
    assert.deepEqual(fileRemove?.items, { kind: 'names', names: ['storage-pool/metal-csi/pvc-1.img'] });
    const [print] = parse('/disk print detail where slot~"^pvc-" mount-point!=x');
    assert.deepEqual(print?.where, [
      [
        { property: 'slot', operator: '~', value: '^pvc-' },
        { property: 'mount-point', operator: '!=', value: 'x' },
      ],
    ]);
  });

  it('parses or between alternatives, and binding tighter than or', () => {
    const slot = (value: string) => ({ property: 'slot', operator: '=', value });
    const [print] = parse('/disk print detail where slot=a or slot=b and type=file or slot=c');
    assert.deepEqual(print?.where, [
      [slot('a')],
      [slot('b'), { property: 'type', operator: '=', value: 'file' }],
      [slot('c')],
    ]);
    const [remove] = parse('/disk remove [find slot=a or slot=b]');
    assert.deepEqual(remove?.items, { kind: 'find', conditions: [[slot('a')], [slot('b')]] });
    for (const line of [
      '/disk print where or slot=a',
      '/disk print where slot=a or',
      '/disk print where slot=a or or slot=b',
      '/disk print where slot=a and or slot=b',
    ]) {
      assert.match(refusal(line), /^syntax error/, line);
    }
  });

  it('splits commands on ; and newlines, and skips empty ones', () => {
    const commands = parse(';/disk print;; /file print\n/disk remove [find slot=a];');
    assert.deepEqual(
      commands.map((command) => `${command.menu} ${command.verb}`),
      ['disk print', 'file print', 'disk remove'],
    );
  });

  it('treats a menu path alone as a no-op', () => {
    assert.deepEqual(parse('/disk'), []);
  });

  it('refuses unknown commands with the column of the name', () => {
    assert.equal(refusal('/disk foo'), 'bad command name foo (line 1 column 7)');
    assert.equal(refusal('/interface print'), 'bad command name interface (line 1 column 2)');
    assert.equal(refusal('/system reboot'), 'bad command name reboot (line 1 column 9)');
    assert.equal(refusal('/disk/frobnicate'), 'bad command name frobnicate (line 1 column 7)');
    assert.equal(refusal('/disk print; /disk explode'), 'bad command name explode (line 1 column 20)');
    assert.equal(refusal('/disk remove [delete slot=a]'), 'bad command name delete (line 1 column 15)');
  });

  it('knows /disk nvme-tcp only when configured', () => {
    assert.equal(refusal('/disk nvme-tcp print detail'), 'bad command name nvme-tcp (line 1 column 7)');
    const [command] = parse('/disk nvme-tcp print detail', true);
    assert.equal(command?.menu, 'disk nvme-tcp');
  });

  it('refuses unknown arguments and values of the wrong type', () => {
    assert.equal(refusal('/disk add foo=bar'), 'expected end of command (line 1 column 11)');
    assert.equal(refusal('/disk print detail extra'), 'expected end of command (line 1 column 20)');
    assert.equal(refusal('/disk add type=file file-size=10GB'), 'invalid value for argument file-size');
    assert.equal(
      refusal('/disk add type=file nvme-tcp-export=maybe'),
      'invalid value for argument nvme-tcp-export',
    );
    assert.equal(
      refusal('/disk add type=file nvme-tcp-server-port=70000'),
      'invalid value for argument nvme-tcp-server-port',
    );
    assert.equal(refusal('/disk add type=raid'), 'invalid value for argument type');
    assert.equal(refusal('/disk add slot='), 'invalid value for argument slot');
  });

  it('refuses scripting syntax it does not implement as a syntax error, without running anything', () => {
    assert.equal(refusal('/disk add slot=$x'), 'syntax error (line 1 column 16)');
    assert.equal(refusal('/disk add slot="a$x"'), 'syntax error (line 1 column 18)');
    assert.equal(refusal('/disk add slot=a`id`'), 'syntax error (line 1 column 17)');
    assert.equal(refusal('/disk add slot=a&&b'), 'syntax error (line 1 column 17)');
    assert.equal(refusal('/disk add slot=a|b'), 'syntax error (line 1 column 17)');
    assert.equal(refusal('/disk add slot=(a)'), 'syntax error (line 1 column 16)');
    assert.equal(refusal('/disk add slot="unterminated'), 'syntax error (line 1 column 29)');
    assert.equal(refusal('/disk add slot="bad\\escape"'), 'syntax error (line 1 column 20)');
    assert.equal(refusal('/disk remove [find slot=a'), 'syntax error (line 1 column 26)');
    assert.equal(refusal('/disk print where nosuch=1'), 'syntax error (line 1 column 19)');
    assert.equal(refusal('/disk print where slot~"("'), 'syntax error (line 1 column 24)');
    // A parse error in a later command refuses the whole line.
    assert.equal(refusal('/disk remove [find slot=a]; /disk add slot=$x'), 'syntax error (line 1 column 44)');
  });

  it('keeps separators inside quotes as data', () => {
    const [command] = parse('/disk remove [find slot="a; /disk remove [find]"]');
    assert.deepEqual(command?.items, {
      kind: 'find',
      conditions: [[{ property: 'slot', operator: '=', value: 'a; /disk remove [find]' }]],
    });
  });
});
