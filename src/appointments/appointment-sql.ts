import { RELEASED_STATUSES } from './domain/vocabulary';

/**
 * `('cancelled', 'no_show')`: the statuses that hold nothing, as an SQL list. A literal, not a parameter,
 * so that the planner matches the partial indexes and exclusion constraints whose predicates use it.
 */
export const RELEASED_STATUS_SQL = `(${RELEASED_STATUSES.map((status) => `'${status}'`).join(', ')})`;
