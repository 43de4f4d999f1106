import { InvalidInput } from '../../common/problems';
import { parseDateBound, parseReference, parseToken, SearchParams } from './search-params';

const fieldOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    if (error instanceof InvalidInput) return (error.extensions.errors as Array<{ field: string }>)[0].field;
    throw error;
  }
  return undefined;
};

describe('FHIR search parameters', () => {
  it('reads a local day as the whole clinic day, across the fall-back change (25 hours)', () => {
    const day = parseDateBound('2026-11-01', 'date');
    expect(day.start?.toISOString()).toBe('2026-11-01T06:00:00.000Z');
    expect(day.end?.toISOString()).toBe('2026-11-02T07:00:00.000Z');
  });

  it('applies prefixes to instants and days, and intersects repeated values', () => {
    const sut = new SearchParams({ date: ['ge2026-03-08', 'lt2026-03-09T12:00:00-06:00'] }, ['date']);
    const span = sut.dateSpan('date');
    expect(span.start?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(span.end?.toISOString()).toBe('2026-03-09T18:00:00.000Z');
    expect(parseDateBound('gt2026-11-02', 'date').start?.toISOString()).toBe('2026-11-03T07:00:00.000Z');
    expect(parseDateBound('le2026-11-02T09:00:00-07:00', 'date').end?.toISOString()).toBe('2026-11-02T16:00:00.001Z');
  });

  it('refuses a time without an offset, an unknown prefix and an unknown parameter, naming it', () => {
    expect(fieldOf(() => parseDateBound('ge2026-11-02T09:00:00', 'start'))).toBe('start');
    expect(fieldOf(() => parseDateBound('sa2026-11-02', 'date'))).toBe('date');
    expect(fieldOf(() => new SearchParams({ patient: 'x', colour: 'red' }, ['patient']))).toBe('colour');
    expect(fieldOf(() => new SearchParams({ _format: 'xml' }, []))).toBe('_format');
    expect(fieldOf(() => new SearchParams({ patient: ['a', 'b'] }, ['patient']).one('patient'))).toBe('patient');
  });

  it('reads references with or without their type, and tokens with or without our system', () => {
    const id = '6f1c6c1e-2c57-4c44-9d0e-3a1f2b4c5d6e';
    expect(parseReference(`Patient/${id}`, 'Patient', 'patient')).toBe(id);
    expect(parseReference(id, 'Patient', 'patient')).toBe(id);
    expect(fieldOf(() => parseReference(`Location/${id}`, 'Patient', 'patient'))).toBe('patient');
    const codes = ['tms', 'ect'] as const;
    expect(parseToken('urn:clinic-scheduler:appointment-type|tms', 'urn:clinic-scheduler:appointment-type', codes, 'service-type')).toBe('tms');
    expect(parseToken('ect', 'urn:clinic-scheduler:appointment-type', codes, 'service-type')).toBe('ect');
    expect(fieldOf(() => parseToken('http://snomed.info/sct|tms', 'urn:clinic-scheduler:appointment-type', codes, 'service-type'))).toBe('service-type');
    expect(fieldOf(() => parseToken('massage', 'urn:clinic-scheduler:appointment-type', codes, 'service-type'))).toBe('service-type');
  });
});
