import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A failed login, kept for the throttle window (shared by every instance): by the email tried (known or
 * not, so a 429 says nothing about whether an account exists) and by the client address.
 */
@Entity('login_failures')
@Index('ix_login_failures_account', ['account', 'at'])
@Index('ix_login_failures_address', ['address', 'at'])
export class LoginFailureEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  account: string;

  @Column({ type: 'varchar', length: 64 })
  address: string;

  @Column({ type: 'timestamptz' })
  at: Date;
}
