import type { FieldError } from './problems';

/** Deeper than any body of the API (the deepest, a waitlist window's weekdays, is 4). */
export const MAX_INPUT_DEPTH = 32;

/**
 * What no valid request carries, found before validation runs: a NUL character in any string or key
 * (PostgreSQL refuses it in text, SQLSTATE 22021) and nesting deeper than `MAX_INPUT_DEPTH` (which would
 * overflow the stack of the recursive validators). Walks iteratively, so a hostile depth cannot overflow
 * this walk either; stops at the first finding. `where` names the part: body, query or a path parameter.
 */
export function findHostileInput(value: unknown, where: string): FieldError | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: where, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return { field: path, message: 'must not contain a NUL character' };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: path, message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    if (Array.isArray(current)) {
      const prefix = path === 'body' ? '' : path;
      current.forEach((item, index) => stack.push({ value: item, path: `${prefix}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      const field = path === 'body' || path === 'query' ? key : `${path}.${key}`;
      if (key.includes('\u0000')) return { field: path, message: 'must not contain a NUL character in a field name' };
      stack.push({ value: item, path: field, depth: depth + 1 });
    }
  }
  return undefined;
}
