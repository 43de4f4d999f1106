import { mriRefusal } from './mri';
import { PROTOCOLS } from './protocols';

describe('mriRefusal', () => {
  const accelerated = PROTOCOLS['tms-accelerated'];

  it('warns, or refuses where the clinic says so, when an accelerated course has no MRI before it', () => {
    expect(mriRefusal(accelerated, null, '2027-08-02', 'warn')).toMatchObject({ refuse: false });
    expect(mriRefusal(accelerated, null, '2027-08-02', 'refuse')).toMatchObject({ refuse: true });
    expect(mriRefusal(accelerated, '2027-08-03', '2027-08-02', 'refuse')?.detail).toContain('after the course would start');
  });

  it('is satisfied by an MRI on or before the start, and asks nothing of other protocols', () => {
    expect(mriRefusal(accelerated, '2027-08-02', '2027-08-02', 'refuse')).toBeUndefined();
    expect(mriRefusal(PROTOCOLS['tms-standard'], null, '2027-08-02', 'refuse')).toBeUndefined();
  });
});
