import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { StaffService } from '../staff/staff.service';
import { Unauthorized } from './auth.guard';
import { LoginResponse } from './dto/login.dto';
import { hashPassword, verifyPassword } from './password-hasher';

@Injectable()
export class AuthService {
  /** Compared against when the email is unknown, so both paths take the same time. */
  private readonly dummyHash = hashPassword('not-a-real-password');

  constructor(
    private readonly staff: StaffService,
    private readonly jwt: JwtService,
    private readonly audit: AuditTrail,
  ) {}

  async login(email: string, password: string, actor: Actor): Promise<LoginResponse> {
    const user = await this.staff.findActiveByEmail(email);
    const valid = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !user.passwordHash || !valid) {
      throw new Unauthorized('The email or password is wrong.');
    }
    await this.audit.record(undefined, { ...actor, id: user.id, role: user.role }, 'auth.login', 'staff', user.id);
    const accessToken = await this.jwt.signAsync({ sub: user.id, email: user.email, role: user.role });
    return { accessToken, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
  }
}
