import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';

/** Page size when a list request gives none. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 500;

/** The header that carries the cursor of the next page; absent on the last page. */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';

/** `limit` of a paged list; each list adds its own `cursor`, validated as its ids are. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: DEFAULT_PAGE_LIMIT, minimum: 1, maximum: MAX_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; undefined on the last page. */
  nextCursor?: string;
}

/**
 * A page from rows read with `limit`: when the page is full there may be more, and the last row's key is
 * where the next page starts.
 */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  return { items: rows, ...(rows.length === limit && rows.length > 0 ? { nextCursor: cursorOf(rows[rows.length - 1]) } : {}) };
}

/** Answers with the page's items and its next cursor in the `x-next-cursor` header. */
export function sendPage<T>(reply: FastifyReply, page: Page<T>): T[] {
  if (page.nextCursor) void reply.header(NEXT_CURSOR_HEADER, page.nextCursor);
  return page.items;
}
