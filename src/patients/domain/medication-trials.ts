/** How a medication trial ended, as the clinic records it. */
export const TRIAL_OUTCOMES = ['no_response', 'partial_response', 'intolerant', 'response'] as const;
export type TrialOutcome = (typeof TRIAL_OUTCOMES)[number];
