import { describe, expect, it } from 'vitest';
import { attendanceTrend, heatmapGrid, heatmapKinds, percent, remsByWeek } from '../src/screens/reports/report-series';

describe('report series', () => {
  it('sums attendance per week over the types, with rates over the appointments whose outcome is known', () => {
    const row = (periodStart: string, booked: number, noShow: number, lateCancelled: number, pending: number) => ({
      periodStart,
      booked,
      completed: booked - noShow - lateCancelled - pending,
      cancelled: lateCancelled,
      lateCancelled,
      noShow,
      pending,
    });
    const sut = attendanceTrend([row('2026-11-09', 2, 0, 0, 2), row('2026-11-02', 4, 1, 1, 0), row('2026-11-02', 6, 2, 0, 2)]);
    expect(sut).toEqual([
      { week: '2026-11-02', decided: 8, noShow: 3, lateCancelled: 1, noShowRate: 0.375, lateCancellationRate: 0.125 },
      { week: '2026-11-09', decided: 0, noShow: 0, lateCancelled: 0, noShowRate: null, lateCancellationRate: null },
    ]);
  });

  it('lays a heatmap out by the weekdays and hours the clinic was open', () => {
    const cell = (kind: string, weekday: number, hour: number, utilization: number | null) => ({
      kind,
      weekday,
      hour,
      openMinutes: 60,
      bookedMinutes: 0,
      utilization,
    });
    const cells = [cell('tms_device', 5, 8, 0.5), cell('treatment_chair', 1, 9, 0.25), cell('treatment_chair', 1, 7, 0), cell('treatment_chair', 3, 7, 1)];
    const sut = heatmapGrid(cells, 'treatment_chair');
    expect(sut.weekdays).toEqual([1, 3]);
    expect(sut.hours).toEqual([7, 9]);
    expect(sut.at(1, 9)?.utilization).toBe(0.25);
    expect(sut.at(3, 9)).toBeUndefined();
    expect(heatmapKinds(cells)).toEqual(['treatment_chair', 'tms_device']);
  });

  it('adds REMS rows of several clinics up per week', () => {
    const row = (periodStart: string, due: number, submittedOnTime: number) => ({
      periodStart,
      due,
      submittedOnTime,
      submittedLate: 0,
      overdueNow: due - submittedOnTime,
      notYetDue: 0,
    });
    expect(remsByWeek([row('2026-11-09', 1, 1), row('2026-11-02', 2, 1), row('2026-11-02', 3, 3)])).toEqual([
      { periodStart: '2026-11-02', due: 5, submittedOnTime: 4, submittedLate: 0, overdueNow: 1, notYetDue: 0 },
      { periodStart: '2026-11-09', due: 1, submittedOnTime: 1, submittedLate: 0, overdueNow: 0, notYetDue: 0 },
    ]);
  });

  it('writes shares as whole percentages, and a dash for none', () => {
    expect(percent(0.3333)).toBe('33 %');
    expect(percent(null)).toBe('–');
  });
});
