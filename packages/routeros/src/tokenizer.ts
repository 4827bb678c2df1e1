/**
 * Tokenizer for the `key=value` text of one `print detail` entry, after its lines have been joined.
 *
 * Values are quoted (`"..."` with RouterOS escapes) or bare. A bare value runs until whitespace followed by the next
 * `key=`, so bare values may contain spaces (`size=53 687 091 200`, `last-modified=2024-11-25 13:10:52`) and commas.
 */

export interface Pair {
  key: string;
  value: string;
}

/** `complete`, or why tokenizing stopped: inside an unterminated quoted value, or at text that is not `key=value`. */
export type TokenizeResult =
  | { kind: 'complete'; pairs: Pair[] }
  | { kind: 'open-quote'; pairs: Pair[]; key: string }
  | { kind: 'garbage'; pairs: Pair[]; offset: number };

/** RouterOS property names: lowercase words joined by hyphens. */
const KEY_AT = /([a-z0-9-]+)=/y;
/** A continuation line that starts a new property instead of continuing the previous value. */
export const STARTS_WITH_KEY = /^[a-z0-9-]+=/;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  r: '\r',
  t: '\t',
  $: '$',
  '?': '?',
  _: ' ',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};
const HEX_ESCAPE = /^[0-9A-F]{2}$/;

const isSpace = (char: string | undefined): boolean => char === ' ' || char === '\t';
const isKeyChar = (char: string | undefined): boolean => char !== undefined && /[a-z0-9-]/.test(char);

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (isSpace(text[i])) i++;
  return i;
}

/** Decodes the escape after a backslash at `at`; undefined when the text ends inside the escape. */
function decodeEscape(text: string, at: number): { char: string; next: number } | undefined {
  const pair = text.slice(at, at + 2);
  if (HEX_ESCAPE.test(pair)) return { char: String.fromCharCode(parseInt(pair, 16)), next: at + 2 };
  const first = text[at];
  if (first === undefined || (/^[0-9A-F]$/.test(first) && at + 1 >= text.length)) return undefined;
  return { char: NAMED_ESCAPES[first] ?? first, next: at + 1 };
}

/** Reads a quoted value whose opening quote is just before `from`; undefined when it is not terminated. */
function readQuoted(text: string, from: number): { value: string; end: number } | undefined {
  let value = '';
  let i = from;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') return { value, end: i + 1 };
    if (char !== '\\') {
      value += char;
      i++;
      continue;
    }
    const escape = decodeEscape(text, i + 1);
    if (!escape) return undefined;
    value += escape.char;
    i = escape.next;
  }
  return undefined;
}

/** End of a bare value: the whitespace before the next `key=`, or the end of the text. Linear time. */
function bareValueEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (!isSpace(text[i])) {
      i++;
      continue;
    }
    const spaceStart = i;
    i = skipSpaces(text, i);
    let wordEnd = i;
    while (isKeyChar(text[wordEnd])) wordEnd++;
    if (wordEnd > i && text[wordEnd] === '=') return spaceStart;
    i = wordEnd;
  }
  return text.length;
}

export function tokenizePairs(text: string): TokenizeResult {
  const pairs: Pair[] = [];
  let pos = skipSpaces(text, 0);
  while (pos < text.length) {
    KEY_AT.lastIndex = pos;
    const match = KEY_AT.exec(text);
    if (!match) return { kind: 'garbage', pairs, offset: pos };
    const key = match[1] ?? '';
    pos = KEY_AT.lastIndex;
    if (text[pos] === '"') {
      const quoted = readQuoted(text, pos + 1);
      if (!quoted) return { kind: 'open-quote', pairs, key };
      if (quoted.end < text.length && !isSpace(text[quoted.end]))
        return { kind: 'garbage', pairs, offset: quoted.end };
      pairs.push({ key, value: quoted.value });
      pos = quoted.end;
    } else {
      const end = bareValueEnd(text, pos);
      pairs.push({ key, value: text.slice(pos, end).trim() });
      pos = end;
    }
    pos = skipSpaces(text, pos);
  }
  return { kind: 'complete', pairs };
}

/** The start of a property name at the end of an entry's text, after a complete value (keys start with a letter). */
const KEY_FRAGMENT_AT_END = /(?:^|[ \t])[a-z][a-z0-9-]*$/;

/**
 * Joins a continuation line (indentation already removed) to an entry's text. A wrapped line was cut either between
 * properties or inside a value or a property name: inside an unterminated quoted value, or when the line does not
 * start with `key=` (and does not follow a closed quoted value), the text continues the previous value with nothing
 * in between; a line that filled the whole
 * terminal width and ended in the start of a name continues that name (narrow terminals cut inside names);
 * otherwise it starts a new property. Whitespace the previous line ended with is kept, so a cut at a space inside a
 * value keeps that space.
 */
export function joinContinuation(
  text: string,
  piece: string,
  insideQuotes: boolean,
  previousLineFull = false,
): string {
  if (insideQuotes || text === '' || isSpace(text[text.length - 1])) return text + piece;
  // After a closed quoted value only a new property can follow, even when the cut fell inside its name.
  if (text.endsWith('"')) return `${text} ${piece}`;
  if (!STARTS_WITH_KEY.test(piece)) return text + piece;
  return previousLineFull && KEY_FRAGMENT_AT_END.test(text) ? text + piece : `${text} ${piece}`;
}
