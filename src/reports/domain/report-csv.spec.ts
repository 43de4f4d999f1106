import { reportCsv } from './report-csv';

describe('reportCsv', () => {
  it('writes a header and one CRLF-ended line per row, columns in the order given', () => {
    const sut = reportCsv(
      ['period', 'type', 'rate'],
      [
        { type: 'tms', period: '2026-03-02', rate: 0.25 },
        { type: 'ect', period: '2026-03-09', rate: null },
      ],
    );
    expect(sut).toBe('period,type,rate\r\n2026-03-02,tms,0.25\r\n2026-03-09,ect,\r\n');
  });

  it('quotes separators and quotes, and defuses formulas', () => {
    const sut = reportCsv(
      ['name', 'minutes'],
      [
        { name: '=HYPERLINK("x")', minutes: -5 },
        { name: 'Chair, "big"', minutes: 0 },
      ],
    );
    expect(sut.split('\r\n')).toEqual(['name,minutes', `"'=HYPERLINK(""x"")",-5`, '"Chair, ""big""",0', '']);
  });

  it('writes only the header for no rows', () => {
    expect(reportCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });
});
