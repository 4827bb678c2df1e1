/**
 * Parser for RouterOS `print detail` output: `Flags:`/`Columns:` headers, numbered entries with optional flag letters,
 * continuation lines, wrapped values (cut mid-value, also inside quotes), `;;;` comments, blank lines between entries.
 * Malformed output is INTERNAL with a clear message; nothing is guessed.
 */
import { internalError } from '@rds-csi/contracts';
import type { RdsCsiError } from '@rds-csi/contracts';
import { boundText } from './text.js';
import { STARTS_WITH_KEY, joinContinuation, tokenizePairs } from './tokenizer.js';

export interface RouterOsEntry {
  /** The number RouterOS printed before the entry. */
  index: number;
  /** Flag letters in print order, without spaces (e.g. `BMt`); empty when none. */
  flags: string;
  /** Every property as printed (quoted values unescaped); a `;;;` comment appears as `comment`. */
  props: Record<string, string>;
}

/** Real entries are well under 2 KiB; the cap keeps pathological output from costing more than it is worth. */
const MAX_ENTRY_CHARS = 16 * 1024;
const HEADER_LINE = /^\s*(?:Flags|Columns):/;
/** ` <n>` then flag letters, each group followed by whitespace or the end of the line (so `slot=` is not a flag). */
const ENTRY_HEAD = /^([ \t]*)(\d+)(?=[ \t]|$)((?:[ \t]+[A-Za-z*]+(?=[ \t]|$))*)/;
// Terminal escape sequences (colours) are dropped; RouterOS emits them only on interactive terminals.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

interface EntryDraft {
  index: number;
  flags: string;
  /** Continuation lines start at least this far in; a numbered line indented less starts a new entry. */
  contentColumn: number;
  text: string;
  insideQuotes: boolean;
  /** Whether the entry's last line filled the terminal width (so it was cut, maybe inside a property name). */
  lastLineFull: boolean;
  comment?: string;
}

interface ParseState {
  entries: RouterOsEntry[];
  draft?: EntryDraft | undefined;
  inHeader: boolean;
  /** The terminal width the output was laid out for: its longest entry line. */
  width: number;
}

export function malformed(message: string): RdsCsiError {
  return internalError(`malformed RouterOS output: ${message}`);
}

export function parsePrintDetail(output: string): RouterOsEntry[] {
  if (typeof output !== 'string') throw malformed('expected text');
  const lines = output.replace(ANSI_ESCAPE, '').split(/\r\n|\r|\n/);
  const state: ParseState = { entries: [], inHeader: false, width: layoutWidth(lines) };
  for (const line of lines) consumeLine(state, line);
  flush(state);
  return state.entries;
}

function layoutWidth(lines: readonly string[]): number {
  const widths = lines.filter((line) => !HEADER_LINE.test(line)).map((line) => line.trimEnd().length);
  return Math.max(1, ...widths);
}

function consumeLine(state: ParseState, line: string): void {
  if (line.trim() === '') {
    flush(state);
    state.inHeader = false;
  } else if (state.draft?.insideQuotes) {
    appendLine(state, state.draft, line);
  } else if (HEADER_LINE.test(line)) {
    flush(state);
    state.inHeader = true;
  } else {
    consumeBodyLine(state, line);
  }
}

function consumeBodyLine(state: ParseState, line: string): void {
  const head = ENTRY_HEAD.exec(line);
  if (head && (!state.draft || (head[1] ?? '').length < state.draft.contentColumn)) {
    flush(state);
    state.inHeader = false;
    state.draft = startEntry(line, head, state.width);
  } else if (state.draft) {
    appendLine(state, state.draft, line);
  } else if (!state.inHeader) {
    // Lines right after a header that are not entries are the header wrapped onto more lines.
    throw malformed(`unexpected text before the first entry: ${boundText(line, 120)}`);
  }
}

function startEntry(line: string, head: RegExpExecArray, width: number): EntryDraft {
  const index = Number(head[2]);
  if (!Number.isSafeInteger(index))
    throw malformed(`entry number ${boundText(head[2] ?? '', 40)} is too large`);
  const rest = line.slice(head[0].length);
  const content = rest.trimStart();
  const contentColumn = content === '' ? line.trimEnd().length + 1 : line.length - content.length;
  const draft: EntryDraft = {
    index,
    flags: (head[3] ?? '').replace(/\s+/g, ''),
    contentColumn,
    text: '',
    insideQuotes: false,
    lastLineFull: false,
  };
  if (content.startsWith(';;;')) draft.comment = content.slice(3).trimStart();
  else appendPiece(draft, content);
  draft.lastLineFull = line.trimEnd().length >= width;
  return draft;
}

/**
 * Removes a continuation line's indentation. Inside a quoted value only the entry's own indentation is removed: a
 * space the wrap moved to the start of the line belongs to the value.
 */
function continuationPiece(draft: EntryDraft, line: string): string {
  if (!draft.insideQuotes) return line.trimStart();
  const indent = line.length - line.trimStart().length;
  return line.slice(Math.min(indent, draft.contentColumn));
}

function appendLine(state: ParseState, draft: EntryDraft, line: string): void {
  const piece = continuationPiece(draft, line);
  if (draft.comment !== undefined && draft.text === '' && !STARTS_WITH_KEY.test(piece)) {
    draft.comment += piece; // a long comment wrapped onto the next line
  } else {
    appendPiece(draft, piece);
  }
  draft.lastLineFull = line.trimEnd().length >= state.width;
}

function appendPiece(draft: EntryDraft, piece: string): void {
  draft.text = joinContinuation(draft.text, piece, draft.insideQuotes, draft.lastLineFull);
  if (draft.text.length > MAX_ENTRY_CHARS)
    throw malformed(`entry ${draft.index} is longer than ${MAX_ENTRY_CHARS} characters`);
  draft.insideQuotes = tokenizePairs(draft.text).kind === 'open-quote';
}

function flush(state: ParseState): void {
  if (state.draft) state.entries.push(finishEntry(state.draft));
  state.draft = undefined;
}

function finishEntry(draft: EntryDraft): RouterOsEntry {
  const result = tokenizePairs(draft.text);
  const where = `entry ${draft.index}`;
  if (result.kind === 'open-quote') {
    throw malformed(`${where}: the quoted value of ${result.key}= is not terminated (truncated output?)`);
  }
  if (result.kind === 'garbage') {
    throw malformed(
      `${where}: expected key=value at ${JSON.stringify(boundText(draft.text.slice(result.offset), 60))}`,
    );
  }
  const props: Record<string, string> = {};
  if (draft.comment !== undefined) props.comment = draft.comment.trim();
  for (const { key, value } of result.pairs) {
    if (Object.hasOwn(props, key)) throw malformed(`${where}: property ${key} appears twice`);
    props[key] = value;
  }
  return { index: draft.index, flags: draft.flags, props };
}
