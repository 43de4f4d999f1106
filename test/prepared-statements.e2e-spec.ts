import type { Pool } from 'pg';
import { QueryFailedError } from 'typeorm';
import { preparedQuery } from '../src/database/prepared-query';
import { useTestApp } from './support/app';

/**
 * The hot statements (the booking's calendar read and its write) run as named prepared statements,
 * planned once per connection. A booking that loses a race fails its write with CL001 many times a
 * second under load; that must not cost the connection, or every loss reconnects and plans everything
 * again (measured: 5.6 ms to plan the calendar read, and bookings/s fell by half).
 */
describe('prepared statements survive the errors the server answers', () => {
  const t = useTestApp();
  /** The backend process of every connection the pool holds. */
  const backends = () => {
    const pool = (t.dataSource.driver as unknown as { master: Pool & { _clients: Array<{ processID: number }> } }).master;
    return pool._clients.map((client) => client.processID).sort();
  };

  it('keeps the connection and its prepared statements after a statement fails', async () => {
    const check = 'SELECT clinic_refuse_if($1::boolean, $2::text) AS refused';
    // Warm every pooled connection with the statement.
    await Promise.all(Array.from({ length: 16 }, () => preparedQuery(t.dataSource.manager, check, [false, 'resource-overlap'])));
    const before = backends();
    expect(before.length).toBeGreaterThan(0);

    const failures = await Promise.all(
      Array.from({ length: 16 }, () => preparedQuery(t.dataSource.manager, check, [true, 'resource-overlap']).catch((e: unknown) => e)),
    );
    for (const error of failures) {
      expect(error).toBeInstanceOf(QueryFailedError);
      expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('CL001');
    }
    // The same connections, none replaced, and the statement still answers.
    expect(backends()).toEqual(before);
    await expect(preparedQuery(t.dataSource.manager, check, [false, 'resource-overlap'])).resolves.toHaveLength(1);
  });
});
