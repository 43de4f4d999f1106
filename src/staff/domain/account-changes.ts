/**
 * The PostgreSQL notification channel on which every instance hears of changes to who may do what: a
 * person's role, clinics, active flag, password or second factor (`staff:<id>`), or an ended session
 * (`session:<id>`). The auth guard's cache drops the entry; the next request reads the database.
 */
export const ACCOUNT_CHANNEL = 'account_changes';

export const staffChanged = (staffId: string) => `staff:${staffId}`;
export const sessionEnded = (sessionId: string) => `session:${sessionId}`;
