import {
  MAX_PAGE_LIMIT,
  RdsCsiError,
  invalidArgument,
  type PageRequest as ServicePage,
} from '@rds-csi/contracts';

/**
 * Pagination over listings sorted by ID. A token names the last ID a page returned and the next page starts after
 * it, so deleting that entry between pages loses nothing and entries created meanwhile appear when they sort later.
 * Tokens look like `after:<id>`; anything else, or an ID of the wrong shape, is ABORTED as the spec asks.
 * The rds-connector's lists page the same way (their cursor is the last ID returned), so a CSI page is one service
 * page: the token carries the service cursor and max_entries its limit; nothing is fetched beyond the page.
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

/** The rds-connector page a CSI page maps to; max_entries 0 (no limit) takes the service's byte-bounded page. */
export function servicePage(request: PageRequest): ServicePage {
  return {
    ...(request.after === undefined ? {} : { cursor: request.after }),
    ...(request.max === 0 ? {} : { limit: Math.min(request.max, MAX_PAGE_LIMIT) }),
  };
}

/** The CSI next_token for a service cursor ('' on the last page). */
export function tokenAfter(cursor: string | undefined): string {
  return cursor === undefined ? '' : TOKEN_PREFIX + cursor;
}

export interface ServiceReply<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * One CSI page of the entries that match a filter: reads service pages from the token on until max_entries matched
 * (or, with no limit, until a page had a match) or the listing ends.
 */
export async function filteredPage<T>(
  request: PageRequest,
  keyOf: (item: T) => string,
  matches: (item: T) => boolean,
  fetch: (page: ServicePage) => Promise<ServiceReply<T>>,
): Promise<ServiceReply<T>> {
  const items: T[] = [];
  let after = request.after;
  for (;;) {
    const page = await fetch(servicePage({ max: request.max, after }));
    for (const [i, item] of page.items.entries()) {
      if (!matches(item)) continue;
      items.push(item);
      const more = i < page.items.length - 1 || page.nextCursor !== undefined;
      if (items.length === request.max) return more ? { items, nextCursor: keyOf(item) } : { items };
    }
    if (page.nextCursor === undefined) return { items };
    if (request.max === 0 && items.length > 0) return { items, nextCursor: page.nextCursor };
    after = page.nextCursor;
  }
}
