import { normalizePhone, parsePatientSearch } from './patient-search';

describe('parsePatientSearch', () => {
  it('lists everyone for an empty or blank search', () => {
    expect(parsePatientSearch(undefined)).toEqual({ kind: 'all' });
    expect(parsePatientSearch('   ')).toEqual({ kind: 'all' });
  });

  it('reads YYYY-MM-DD as a date of birth, and refuses one that does not exist', () => {
    expect(parsePatientSearch(' 1984-03-17 ')).toEqual({ kind: 'dateOfBirth', date: '1984-03-17' });
    expect(parsePatientSearch('1984-02-30')).toMatchObject({ kind: 'invalid' });
  });

  it('reads digits and phone punctuation as a phone number in E.164', () => {
    expect(parsePatientSearch('+13035550100')).toEqual({ kind: 'phone', phone: '+13035550100' });
    expect(parsePatientSearch('(303) 555-0100')).toEqual({ kind: 'phone', phone: '+13035550100' });
    expect(parsePatientSearch('1 303 555 0100')).toEqual({ kind: 'phone', phone: '+13035550100' });
    expect(normalizePhone('+44 20 7946 0018')).toBe('+442079460018');
  });

  it('reads anything else as a name fragment, with LIKE wildcards taken literally', () => {
    expect(parsePatientSearch('  Dana   Whit ')).toEqual({ kind: 'name', pattern: '%Dana Whit%' });
    expect(parsePatientSearch('Whitfield ,Dana')).toEqual({ kind: 'name', pattern: '%Whitfield, Dana%' });
    expect(parsePatientSearch('50%_o\\k')).toEqual({ kind: 'name', pattern: '%50\\%\\_o\\\\k%' });
  });
});
