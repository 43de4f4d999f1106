/** Outcome scales over a course (domain.md "Outcomes over a course"): baseline, latest, change, response, remission. Pure. */

export const OUTCOME_SCALES = ['phq9', 'madrs', 'hamd17'] as const;
export type OutcomeScale = (typeof OUTCOME_SCALES)[number];

/** Each scale's range and remission threshold (a score at or below `remissionAtMost`). */
export const SCALES: Readonly<Record<OutcomeScale, { name: string; max: number; remissionAtMost: number }>> = {
  // PHQ-9: remission < 5.
  phq9: { name: 'PHQ-9', max: 27, remissionAtMost: 4 },
  // MADRS: remission ≤ 12.
  madrs: { name: 'MADRS', max: 60, remissionAtMost: 12 },
  // HAM-D17: remission ≤ 7.
  hamd17: { name: 'HAM-D17', max: 52, remissionAtMost: 7 },
};

/** Response: a score at least this far below the course's baseline. */
export const RESPONSE_REDUCTION = 0.5;

/** A score may be taken up to this many days before the course's first session (the baseline before starting). */
export const BASELINE_LEAD_DAYS = 30;

export interface OutcomeEntry {
  scale: OutcomeScale;
  score: number;
  /** Clinic-local date. */
  takenOn: string;
  /** When it was recorded: orders entries of one day. */
  recordedAt: Date;
}

export interface ScaleSummary {
  baseline: number;
  latest: number;
  /** Signed: −80 is 80 % better than the baseline. Null when the baseline is 0. */
  changePercent: number | null;
  response: boolean;
  remission: boolean;
}

/** Whether a score lies in its scale's range (a whole number from 0 to the scale's maximum). */
export function scoreError(scale: OutcomeScale, score: number): string | undefined {
  const { name, max } = SCALES[scale];
  return Number.isInteger(score) && score >= 0 && score <= max ? undefined : `a ${name} score is a whole number from 0 to ${max}`;
}

/**
 * Per scale recorded: the baseline (the course's first score of that scale), the latest, the signed change,
 * response (latest at least 50 % below the baseline) and remission (latest at or under the scale's threshold).
 */
export function summarizeOutcomes(entries: readonly OutcomeEntry[]): Partial<Record<OutcomeScale, ScaleSummary>> {
  const summary: Partial<Record<OutcomeScale, ScaleSummary>> = {};
  for (const scale of OUTCOME_SCALES) {
    const ordered = entries
      .filter((e) => e.scale === scale)
      .sort((a, b) => a.takenOn.localeCompare(b.takenOn) || a.recordedAt.getTime() - b.recordedAt.getTime());
    if (!ordered.length) continue;
    const baseline = ordered[0].score;
    const latest = ordered[ordered.length - 1].score;
    summary[scale] = {
      baseline,
      latest,
      changePercent: baseline === 0 ? null : Math.round(((latest - baseline) / baseline) * 1000) / 10,
      response: baseline > 0 && latest <= baseline * (1 - RESPONSE_REDUCTION),
      remission: latest <= SCALES[scale].remissionAtMost,
    };
  }
  return summary;
}
