import { RdsCsiError, invalidArgument } from '@rds-csi/contracts';

/**
 * Pagination over listings sorted by ID. A token names the last ID a page returned and the next page starts after
 * it, so deleting that entry between pages loses nothing and entries created meanwhile appear when they sort later.
 * Tokens look like `after:<id>`; anything else, or an ID of the wrong shape, is ABORTED as the spec asks.
 */
const TOKEN_PREFIX = 'after:';

export interface PageRequest {
  /** 0 = no limit. */
  max: number;
  /** Entries up to and including this ID were returned already. */
  after: string | undefined;
}

/** Validates max_entries and starting_token before any data is fetched. */
export function parsePageRequest(
  request: { max_entries: number; starting_token: string },
  isValidId: (id: string) => boolean,
): PageRequest {
  if (request.max_entries < 0) throw invalidArgument('max_entries must not be negative');
  if (request.starting_token === '') return { max: request.max_entries, after: undefined };
  const token = request.starting_token;
  const after = token.startsWith(TOKEN_PREFIX) ? token.slice(TOKEN_PREFIX.length) : '';
  if (!isValidId(after))
    throw new RdsCsiError('ABORTED', `starting_token ${JSON.stringify(token.slice(0, 80))} is not valid`);
  return { max: request.max_entries, after };
}

export interface Page<T> {
  items: T[];
  nextToken: string;
}

export function page<T>(items: readonly T[], idOf: (item: T) => string, request: PageRequest): Page<T> {
  const sorted = [...items].sort((a, b) => compare(idOf(a), idOf(b)));
  const after = request.after;
  const rest = after === undefined ? sorted : sorted.filter((item) => compare(idOf(item), after) > 0);
  if (request.max === 0 || rest.length <= request.max) return { items: rest, nextToken: '' };
  const pageItems = rest.slice(0, request.max);
  return { items: pageItems, nextToken: TOKEN_PREFIX + idOf(pageItems[pageItems.length - 1]!) };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
