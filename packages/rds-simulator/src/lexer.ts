/**
 * Tokenizer for the RouterOS command-line subset the simulator understands. Pure; every token carries its
 * 1-based line and column so errors can be reported the way RouterOS does (`syntax error (line 1 column 7)`).
 */

export type TokenKind = 'word' | 'string' | 'operator' | 'open' | 'close' | 'separator' | 'end';

export interface Token {
  kind: TokenKind;
  /** Bare text of a word/operator, or the unescaped content of a quoted string. */
  text: string;
  line: number;
  column: number;
  /** Whether whitespace precedes the token; `name=value` parts must be adjacent. */
  spacedBefore: boolean;
}

/** A command line RouterOS would refuse before running anything; `message` is the exact text it prints. */
export class CliParseError extends Error {}

export function syntaxError(at: Pick<Token, 'line' | 'column'>): CliParseError {
  return new CliParseError(`syntax error (line ${at.line} column ${at.column})`);
}

export function expectedEndOfCommand(at: Pick<Token, 'line' | 'column'>): CliParseError {
  return new CliParseError(`expected end of command (line ${at.line} column ${at.column})`);
}

export function badCommandName(name: string, at: Pick<Token, 'line' | 'column'>): CliParseError {
  return new CliParseError(`bad command name ${name} (line ${at.line} column ${at.column})`);
}

// Characters of an unquoted word. Anything else outside quotes that is not listed in `scan` (`$`, `(`, `{`, `|`,
// `&`, backtick, ...) is scripting syntax the simulator does not implement, so it is a syntax error there.
const WORD_CHAR = /[A-Za-z0-9._:/,+@^*%-]/;

const SINGLE_CHAR_TOKENS: Record<string, TokenKind> = {
  '\n': 'separator',
  ';': 'separator',
  '[': 'open',
  ']': 'close',
  '=': 'operator',
  '~': 'operator',
};

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  $: '$',
  '?': '?',
  _: ' ',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

class Scanner {
  private index = 0;
  private line = 1;
  private lineStart = 0;
  readonly tokens: Token[] = [];

  constructor(private readonly input: string) {}

  get position(): Pick<Token, 'line' | 'column'> {
    return { line: this.line, column: this.index - this.lineStart + 1 };
  }

  run(): Token[] {
    let spacedBefore = false;
    while (this.index < this.input.length) {
      const char = this.input[this.index] ?? '';
      if (char === ' ' || char === '\t' || char === '\r') {
        this.index += 1;
        spacedBefore = true;
        continue;
      }
      this.scanToken(char, spacedBefore);
      spacedBefore = false;
    }
    this.tokens.push({ kind: 'end', text: '', ...this.position, spacedBefore });
    return this.tokens;
  }

  private scanToken(char: string, spacedBefore: boolean): void {
    const start = this.position;
    const push = (kind: TokenKind, text: string): void => {
      this.tokens.push({ kind, text, ...start, spacedBefore });
      this.index += text.length;
    };
    const single = SINGLE_CHAR_TOKENS[char];
    if (char === '!' && this.input[this.index + 1] === '=') push('operator', '!=');
    else if (single) push(single, char);
    else if (char === '"')
      this.tokens.push({ kind: 'string', text: this.scanString(), ...start, spacedBefore });
    else if (WORD_CHAR.test(char)) push('word', this.wordFromHere());
    else throw syntaxError(start);
    if (char === '\n') {
      this.line += 1;
      this.lineStart = this.index;
    }
  }

  private wordFromHere(): string {
    let end = this.index;
    while (end < this.input.length && WORD_CHAR.test(this.input[end] ?? '')) end += 1;
    return this.input.slice(this.index, end);
  }

  /** Reads a quoted string starting at the opening quote; leaves the index after the closing quote. */
  private scanString(): string {
    let text = '';
    this.index += 1;
    for (;;) {
      const char = this.input[this.index];
      if (char === undefined || char === '\n') throw syntaxError(this.position);
      if (char === '"') {
        this.index += 1;
        return text;
      }
      // An unescaped `$` starts variable substitution in RouterOS; the simulator has no variables.
      if (char === '$') throw syntaxError(this.position);
      if (char === '\\') {
        text += this.scanEscape();
        continue;
      }
      text += char;
      this.index += 1;
    }
  }

  private scanEscape(): string {
    const code = this.input[this.index + 1] ?? '';
    const simple = ESCAPES[code];
    if (simple !== undefined) {
      this.index += 2;
      return simple;
    }
    const hex = this.input.slice(this.index + 1, this.index + 3);
    if (/^[0-9A-F]{2}$/.test(hex)) {
      this.index += 3;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    throw syntaxError(this.position);
  }
}

/** Splits a command line into tokens, or throws CliParseError at the first character RouterOS would refuse. */
export function tokenize(input: string): Token[] {
  return new Scanner(input).run();
}
