/**
 * Classifies the outcome of one RouterOS command line from stdout, stderr and the exit status together: RouterOS
 * prints most failures on stdout, often with exit status 0, so the exit status alone proves nothing.
 */
import { RdsCsiError } from '@rds-csi/contracts';
import type { ErrorCode } from '@rds-csi/contracts';
import { boundText } from './text.js';

export interface CommandOutcome {
  stdout: string;
  stderr: string;
  /** Exit status of the exec channel; null when the server reported none. */
  exitCode: number | null;
  /** Set when the remote command was killed by a signal. */
  signal?: string | null | undefined;
  /** Set when the output was cut at the reader's limit: what was read is not the whole answer. */
  truncated?: boolean | undefined;
}

/** Lines RouterOS prints when a command fails (matched at the start of a line, so values in listings never match). */
const ERROR_LINE =
  /^(?:failure:|no such item|input does not match any value|bad command name|syntax error|expected end of command|expected command name|invalid value|missing value|ambiguous value|value of .* out of range|not enough space|already have|copy-from disk is not active)/i;

/** Codes in priority order: a driver bug or an unknown failure is never hidden behind a benign NOT_FOUND. */
const LINE_RULES: ReadonlyArray<{ code: ErrorCode; pattern: RegExp }> = [
  {
    code: 'INTERNAL',
    pattern:
      /bad command name|syntax error|expected end of command|expected command name|invalid value|missing value|ambiguous value|out of range/i,
  },
  { code: 'RESOURCE_EXHAUSTED', pattern: /not enough (?:free )?(?:disk )?space|no space left/i },
  // The disk exists but cannot serve now (disabled, or its backing file is missing): the caller must fix that first.
  { code: 'FAILED_PRECONDITION', pattern: /is not active|is disabled/i },
  { code: 'ALREADY_EXISTS', pattern: /already (?:used|in use|have|exists)/i },
  { code: 'NOT_FOUND', pattern: /no such item|does not match any value/i },
];
const PRIORITY: readonly ErrorCode[] = [
  'INTERNAL',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ALREADY_EXISTS',
  'NOT_FOUND',
];

function codeOfLine(line: string): ErrorCode {
  return LINE_RULES.find((rule) => rule.pattern.test(line))?.code ?? 'INTERNAL';
}

function errorLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => ERROR_LINE.test(line));
}

function fromErrorLines(lines: readonly string[]): RdsCsiError {
  const coded = lines.map((line) => ({ line, code: codeOfLine(line) }));
  const code = PRIORITY.find((candidate) => coded.some((entry) => entry.code === candidate)) ?? 'INTERNAL';
  const reported = coded.filter((entry) => entry.code === code).map((entry) => entry.line);
  return new RdsCsiError(code, `RouterOS: ${boundText(reported.join(' | '))}`);
}

function outputSummary(outcome: CommandOutcome): string {
  const text = boundText(`${outcome.stdout}\n${outcome.stderr}`);
  return text === '' ? '(no output)' : text;
}

/** Returns the failure a command's outcome shows, or undefined when it succeeded. */
export function classifyCommandResult(outcome: CommandOutcome): RdsCsiError | undefined {
  if (outcome.signal) {
    return new RdsCsiError(
      'UNAVAILABLE',
      `RouterOS command was terminated by signal ${boundText(outcome.signal, 40)}`,
    );
  }
  if (outcome.truncated) {
    return new RdsCsiError(
      'INTERNAL',
      'RouterOS output was cut at the read limit: refusing to parse a partial answer',
    );
  }
  const lines = errorLines(`${outcome.stdout}\n${outcome.stderr}`);
  if (lines.length > 0) return fromErrorLines(lines);
  if (outcome.exitCode !== null && outcome.exitCode !== 0) {
    return new RdsCsiError(
      'INTERNAL',
      `RouterOS command failed with exit status ${outcome.exitCode}: ${outputSummary(outcome)}`,
    );
  }
  if (outcome.stderr.trim() !== '') {
    return new RdsCsiError('INTERNAL', `RouterOS command wrote to stderr: ${boundText(outcome.stderr)}`);
  }
  return undefined;
}
