import { parseLiveEvent, sseFrame } from './live-event';

describe('parseLiveEvent', () => {
  it('reads a trigger payload into the type, the clinic and the allowed ids', () => {
    const sut = parseLiveEvent('{"type":"status","locationId":"L","appointmentId":"A","status":"checked_in"}');
    expect(sut).toEqual({ type: 'status', locationId: 'L', data: { appointmentId: 'A', status: 'checked_in' } });
  });

  it('drops any field it does not know, so nothing but ids and kinds reaches a browser', () => {
    const sut = parseLiveEvent('{"type":"appointment","locationId":"L","appointmentId":"A","patientName":"Jane","notes":"x"}');
    expect(sut?.data).toEqual({ appointmentId: 'A' });
  });

  it('reads a worklist change and a dosing clearance', () => {
    expect(parseLiveEvent('{"type":"worklist","locationId":"L","itemId":"W","change":"done"}')).toEqual({
      type: 'worklist',
      locationId: 'L',
      data: { itemId: 'W', change: 'done' },
    });
    expect(parseLiveEvent('{"type":"clearance","locationId":"L","appointmentId":"A","vitalsId":"V"}')?.data).toEqual({ appointmentId: 'A', vitalsId: 'V' });
  });

  it('ignores what is not an event', () => {
    expect(parseLiveEvent('not json')).toBeUndefined();
    expect(parseLiveEvent('{"type":"billing","locationId":"L"}')).toBeUndefined();
    expect(parseLiveEvent('{"type":"vitals"}')).toBeUndefined();
    expect(parseLiveEvent('null')).toBeUndefined();
  });
});

describe('sseFrame', () => {
  it('writes one event with JSON data and the blank line that ends it', () => {
    expect(sseFrame('vitals', { appointmentId: 'A' })).toBe('event: vitals\ndata: {"appointmentId":"A"}\n\n');
  });
});
