import { Module } from '@nestjs/common';
import { PasswordService } from './password.service';

/** Password policy and bounded hashing, for the auth and staff modules alike (staff cannot import auth: auth imports staff). */
@Module({
  providers: [PasswordService],
  exports: [PasswordService],
})
export class CredentialsModule {}
