import { MAX_PAGE_LIMIT, RdsCsiError, type PageRequest } from '@rds-csi/contracts';

/**
 * Byte-bounded pages over a listing in ascending key order. The cursor is the last key a page returned, so the
 * next page starts after it: an entry deleted between pages loses nothing, one created meanwhile appears if it sorts
 * later. Every page is at most `limit` entries and `maxBytes` of JSON (the reply must fit NATS's max_payload).
 */
export interface Paged<T> {
  items: T[];
  nextCursor?: string;
}

/** Room left in a reply for its envelope (`{"v":1,"result":{...,"nextCursor":...}}`). */
const ENVELOPE_BYTES = 2048;

export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: PageRequest,
  maxBytes: number,
): Paged<T> {
  const budget = maxBytes - ENVELOPE_BYTES;
  const limit = request.limit ?? MAX_PAGE_LIMIT;
  const after = request.cursor;
  const rest = items
    .filter((item) => after === undefined || keyOf(item) > after)
    .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const page: T[] = [];
  let bytes = 0;
  for (const item of rest) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (page.length >= limit || bytes + size > budget) break;
    page.push(item);
    bytes += size;
  }
  if (page.length === 0 && rest.length > 0) {
    throw new RdsCsiError('RESOURCE_EXHAUSTED', `one entry alone exceeds the reply bound of ${budget} bytes`);
  }
  return page.length < rest.length
    ? { items: page, nextCursor: keyOf(page[page.length - 1]!) }
    : { items: page };
}

export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Reads every page of a paged endpoint, for callers that need the whole listing (each reply stays bounded; the
 * caller's memory holds the sum). `request` sends one page request; `items` picks the entries out of a page.
 */
export async function allPages<P extends object, T>(
  request: (page: PageRequest) => Promise<P>,
  items: (page: P) => T[],
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await request(cursor === undefined ? {} : { cursor });
    all.push(...items(page));
    cursor = nextCursorOf(page);
  } while (cursor !== undefined);
  return all;
}

/** A reply of an endpoint that does not page yet carries no cursor: it is one page. */
function nextCursorOf(page: object): string | undefined {
  return 'nextCursor' in page && typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
}
