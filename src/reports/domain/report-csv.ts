import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * A report's rows as RFC 4180 CSV (CRLF line ends, a header line of the columns in order). Text a
 * spreadsheet would run as a formula (= + - @ at the start, e.g. a resource someone named "=SUM(…)") is
 * prefixed with an apostrophe; null is an empty cell.
 */
export function reportCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, CsvValue>>): string {
  return stringify(rows as Array<Record<string, CsvValue>>, {
    header: true,
    columns: columns as string[],
    record_delimiter: 'windows',
    cast: {
      boolean: (value) => (value ? 'true' : 'false'),
      string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value),
    },
  });
}
