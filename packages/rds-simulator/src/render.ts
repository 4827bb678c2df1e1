/**
 * `print detail` output the way RouterOS lays it out on a fixed-width terminal: numbered entries with positional
 * flag letters, `key=value` pairs filling lines up to the wrap column, continuation lines indented under the first
 * pair, and values too long for any line cut mid-value. Pure.
 */
import type { Condition, Filter } from './grammar.js';
import { formatGroupedNumber, formatHumanSize } from './sizes.js';

export interface Property {
  key: string;
  /** As printed after `=`: quoted and escaped, or bare. */
  shown: string;
  /** As compared by `where`/`find` conditions. */
  value: string;
}

export interface Entry {
  /** One character per flag column (space when the flag is off). */
  flags: string;
  properties: Property[];
}

export function quoted(key: string, value: string): Property {
  return { key, shown: `"${value.replace(/[\\"$]/g, (char) => `\\${char}`)}"`, value };
}

export function bare(key: string, value: string | number): Property {
  return { key, shown: String(value), value: String(value) };
}

/** Exact number with space separators (`size=53 687 091 200`); conditions compare the plain digits. */
export function grouped(key: string, value: number): Property {
  return { key, shown: formatGroupedNumber(value), value: String(value) };
}

/** Human-readable size (`file-size=50.0GiB`). */
export function human(key: string, bytes: number): Property {
  const shown = formatHumanSize(bytes);
  return { key, shown, value: shown };
}

export function propertyValue(entry: Entry, key: string): string | undefined {
  return entry.properties.find((property) => property.key === key)?.value;
}

/** Whether any alternative of a `where`/`find` filter holds for the entry. */
export function matchesFilter(entry: Entry, filter: Filter): boolean {
  return filter.some((conditions) => matchesAll(entry, conditions));
}

function matchesAll(entry: Entry, conditions: readonly Condition[]): boolean {
  return conditions.every((condition) => {
    const value = propertyValue(entry, condition.property);
    if (condition.operator === '~') return value !== undefined && new RegExp(condition.value).test(value);
    const equal = value === condition.value;
    return condition.operator === '=' ? equal : !equal;
  });
}

export interface DetailLayout {
  /** Lines printed before the entries (`Flags: ...`). */
  header: readonly string[];
  /** Width of the flag column block; 0 when the menu has no flags. */
  flagWidth: number;
  wrapColumn: number;
  /** A narrow terminal: a pair too long for any line is cut at the column even inside its name. */
  cutNames?: boolean;
}

/** Renders entries numbered from 0 in the given order (`numbers` overrides the print numbers, for filtered lists). */
export function renderDetail(
  entries: readonly Entry[],
  numbers: readonly number[],
  layout: DetailLayout,
): string {
  const numberWidth = String(Math.max(0, ...numbers)).length + 1;
  const blocks = entries.map((entry, position) => {
    const number = String(numbers[position] ?? position).padStart(numberWidth);
    const flags = layout.flagWidth > 0 ? `${entry.flags.padEnd(layout.flagWidth)} ` : '';
    const prefix = `${number} ${flags}`;
    const pairs = entry.properties.map((property) => `${property.key}=${property.shown}`);
    return `${wrapPairs(pairs, prefix, layout.wrapColumn, layout.cutNames).join('\n')}\n`;
  });
  return [...layout.header.map((line) => `${line}\n`), ...blocks.map((block) => `${block}\n`)].join('');
}

/**
 * Lays `pairs` out after `prefix`: a pair goes on the current line if it fits, else on a new line indented to the
 * prefix width; a pair longer than a whole line starts on the current line and is cut at the wrap column, as many
 * times as needed. The cut falls inside the value (never in the key), like the real terminal output at usual widths;
 * with `cutNames` (a narrow terminal) it falls wherever the column is, inside the key too.
 */
export function wrapPairs(
  pairs: readonly string[],
  prefix: string,
  wrapColumn: number,
  cutNames = false,
): string[] {
  const indent = ' '.repeat(prefix.length);
  const lines: string[] = [];
  let line = prefix;
  const lineIsEmpty = (): boolean => line.length === indent.length;
  const startLine = (): void => {
    lines.push(line);
    line = indent;
  };
  for (const pair of pairs) {
    const separator = lineIsEmpty() ? '' : ' ';
    if (line.length + separator.length + pair.length <= wrapColumn) {
      line += separator + pair;
      continue;
    }
    if (indent.length + pair.length <= wrapColumn) {
      startLine();
      line += pair;
      continue;
    }
    // Too long for any line: keep at least the key, `=` and one value character together before the first cut
    // (a narrow terminal keeps only one character).
    const head = cutNames ? 1 : pair.indexOf('=') + 2;
    if (line.length + separator.length + head > wrapColumn) startLine();
    line += lineIsEmpty() ? '' : ' ';
    let rest = pair;
    while (line.length + rest.length > wrapColumn) {
      const room = wrapColumn - line.length;
      line += rest.slice(0, room);
      rest = rest.slice(room);
      startLine();
    }
    line += rest;
  }
  lines.push(line);
  return lines;
}
