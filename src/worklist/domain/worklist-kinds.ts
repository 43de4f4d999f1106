/**
 * What the front desk must look at, by kind:
 * - `reschedule-request`: a patient replied R to a reminder;
 * - `closure-affected`: a clinic closed on a day that still has appointments;
 * - `chair-conflict`: a chair's real occupancy ran into its next booking and no other chair was free;
 * - `unmatched-reply`: a text reply that fits nothing (or a number shared by several patients);
 * - `offer-expired`: a waitlist offer nobody took.
 */
export const WORKLIST_KINDS = ['reschedule-request', 'closure-affected', 'chair-conflict', 'unmatched-reply', 'offer-expired'] as const;
export type WorklistKind = (typeof WORKLIST_KINDS)[number];
