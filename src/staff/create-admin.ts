import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { hashPassword } from '../auth/password-hasher';
import { SYSTEM_ACTOR } from '../common/actor';
import { StaffEntity } from './staff.entity';
import { StaffRepository } from './staff.repository';

/** The first admin of a real deployment (`npm run cli -- create-admin`); undefined when the email exists. */
export async function createAdminAccount(
  dataSource: DataSource,
  account: { email: string; password: string; name?: string },
): Promise<StaffEntity | undefined> {
  const staff = new StaffRepository(dataSource);
  if (await staff.findActiveByEmail(account.email)) return undefined;
  const passwordHash = await hashPassword(account.password);
  return dataSource.transaction(async (manager) => {
    const created = await staff.insert(manager, {
      email: account.email,
      name: account.name ?? 'Administrator',
      role: 'admin',
      passwordHash,
      locationIds: [],
    });
    await AuditTrail.over(dataSource).record(manager, SYSTEM_ACTOR, 'staff.create', 'staff', created.id, {
      role: 'admin',
      via: 'cli',
    });
    return created;
  });
}
