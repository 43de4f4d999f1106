import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileClock } from './file-clock';

describe('FileClock', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'file-clock-')), 'now');

  it('stands still at the instant in the file and follows the file when it changes', () => {
    writeFileSync(path, '2027-08-02T08:00:00-06:00\n');
    const sut = new FileClock(path);
    expect(sut.now().toISOString()).toBe('2027-08-02T14:00:00.000Z');
    expect(sut.now().toISOString()).toBe('2027-08-02T14:00:00.000Z');

    writeFileSync(path, '2027-08-02T10:05:30Z');
    expect(sut.now().toISOString()).toBe('2027-08-02T10:05:30.000Z');
  });

  it('refuses a file without an instant with an offset', () => {
    writeFileSync(path, '2027-08-02T08:00:00');
    expect(() => new FileClock(path)).toThrow(/ISO-8601 instant with an offset/);
    writeFileSync(path, 'tomorrow');
    expect(() => FileClock.read(path)).toThrow(/ISO-8601/);
  });
});
