/** Accelerated TMS needs a brain MRI first (domain.md): warn, or refuse where the clinic says so. Pure. */
import type { ProtocolDefinition } from './protocols';

export type MriPolicy = 'warn' | 'refuse';

/**
 * Why an accelerated TMS course may not (refuse) or should not (warn) start on `startDate` for a patient
 * whose MRI is on `mriDate`: none on file, or done after the course would start. Undefined for every other
 * protocol, and when an MRI was done by then.
 */
export function mriRefusal(
  protocol: Pick<ProtocolDefinition, 'code' | 'name'>,
  mriDate: string | null,
  startDate: string,
  policy: MriPolicy,
): { refuse: boolean; detail: string } | undefined {
  if (protocol.code !== 'tms-accelerated') return undefined;
  if (mriDate && mriDate <= startDate) return undefined;
  const missing = mriDate ? `the MRI on file (${mriDate}) is after the course would start` : 'no MRI is on file for the patient';
  return {
    refuse: policy === 'refuse',
    detail: `${protocol.name} needs a brain MRI first: ${missing}.${policy === 'refuse' ? ' Record the MRI date on the patient (mriDate), then book the course.' : ''}`,
  };
}
