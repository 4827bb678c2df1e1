import { z } from 'zod';

/**
 * Every list endpoint pages: a reply must stay far below NATS's max_payload, so a list of any size is read as pages.
 * The cursor is opaque to callers (the owner encodes where the next page starts); absent = first page.
 */
export const MAX_PAGE_LIMIT = 5000;

export const PageRequest = z.object({
  cursor: z.string().min(1).max(1024).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
});
export type PageRequest = z.infer<typeof PageRequest>;

/** Fields every paged reply carries: `nextCursor` is absent on the last page. */
export const PageReplyFields = { nextCursor: z.string().min(1).max(1024).optional() };
