/** Helpers that keep untrusted text (user input, RouterOS output) short and printable inside error messages. */

const DEFAULT_OUTPUT_LIMIT = 400;
const VALUE_LIMIT = 80;

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/** Collapses whitespace and control characters to single spaces and cuts the text at `limit` characters. */
export function boundText(text: string, limit: number = DEFAULT_OUTPUT_LIMIT): string {
  const printable = Array.from(text, (char) => (isControl(char) ? ' ' : char)).join('');
  const collapsed = printable.replace(/\s+/g, ' ').trim();
  if (collapsed.length <= limit) return collapsed;
  return `${collapsed.slice(0, limit)}... (${collapsed.length - limit} more characters)`;
}

/** Shows a rejected value exactly enough to spot the problem (JSON escapes newlines and quotes), but bounded. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > VALUE_LIMIT ? `${value.slice(0, VALUE_LIMIT)}...` : value;
    return JSON.stringify(shown);
  }
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return `a value of type ${typeof value}`;
}
