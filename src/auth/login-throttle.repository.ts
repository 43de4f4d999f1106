import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Failed logins in the throttle window, in PostgreSQL so that every instance counts the same attempts. */
@Injectable()
export class LoginThrottleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * For the account and the address: the failures since `since`, and the `limit`-th most recent one (the
   * moment from which the window must pass before another attempt).
   */
  async recent(
    account: string,
    address: string,
    since: Date,
    limits: { account: number; address: number },
  ): Promise<{ account: { count: number; pivot: Date | null }; address: { count: number; pivot: Date | null } }> {
    const [row] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM login_failures WHERE account = $1 AND at > $3) AS account_count,
              (SELECT at FROM login_failures WHERE account = $1 AND at > $3 ORDER BY at DESC OFFSET $4 - 1 LIMIT 1) AS account_pivot,
              (SELECT count(*)::int FROM login_failures WHERE address = $2 AND at > $3) AS address_count,
              (SELECT at FROM login_failures WHERE address = $2 AND at > $3 ORDER BY at DESC OFFSET $5 - 1 LIMIT 1) AS address_pivot`,
      [account, address, since, limits.account, limits.address],
    );
    return {
      account: { count: row.account_count, pivot: row.account_pivot },
      address: { count: row.address_count, pivot: row.address_pivot },
    };
  }

  async record(account: string, address: string, at: Date): Promise<void> {
    await this.dataSource.query('INSERT INTO login_failures (account, address, at) VALUES ($1, $2, $3)', [account, address, at]);
  }

  /** A successful login forgives the account's earlier typos (not the address's). */
  async forgetAccount(account: string): Promise<void> {
    await this.dataSource.query('DELETE FROM login_failures WHERE account = $1', [account]);
  }

  async pruneBefore(before: Date): Promise<void> {
    await this.dataSource.query('DELETE FROM login_failures WHERE at < $1', [before]);
  }
}
