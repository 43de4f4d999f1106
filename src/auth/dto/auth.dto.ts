import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from '../../staff/domain/roles';

export class LoginDto {
  @ApiProperty({ example: 'frontdesk@demo.clinic' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'demo-frontdesk' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;

  @ApiPropertyOptional({ example: '123456', description: 'The current code of the authenticator app, for an account with MFA on' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  otp?: string;
}

export class StaffUserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
}

export const SESSION_RESTRICTIONS = ['mfa-setup-required', 'password-change-required'] as const;
export type SessionRestriction = (typeof SESSION_RESTRICTIONS)[number];

export class LoginResponse {
  @ApiProperty({ description: 'Bearer token for every /api route; it carries the session id, nothing to trust on its own' }) accessToken: string;
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires (ACCESS_TOKEN_MINUTES)' }) expiresIn: number;
  @ApiProperty({ type: StaffUserResponse }) user: StaffUserResponse;
  @ApiPropertyOptional({
    enum: SESSION_RESTRICTIONS,
    description:
      'The session may only set up MFA (POST /api/auth/mfa/setup, /confirm) or only change the password (POST /api/auth/password) until that is done',
  })
  restriction?: SessionRestriction;
}

export class MeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The clinics this person acts on (admins act on all)' }) locationIds: string[];
  @ApiProperty() mfaEnabled: boolean;
  @ApiPropertyOptional({ enum: SESSION_RESTRICTIONS }) restriction?: SessionRestriction;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ minLength: 12, description: 'At least 12 characters; not a common or breached password; not containing the name part of the email' })
  @IsString()
  @MaxLength(200)
  newPassword: string;
}

export class MfaSetupResponse {
  @ApiProperty({ example: 'otpauth://totp/Clinic%20Scheduler:rosa%40clinic.example?issuer=Clinic%20Scheduler&secret=…', description: 'Shown once' })
  otpauthUrl: string;
}

export class MfaConfirmDto {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'otp must be the 6-digit code of the authenticator app' })
  otp: string;
}

export class TemporaryPasswordResponse {
  @ApiProperty({ example: 'maple-otter-quartz-river-42', description: 'Tell the person out of band; it must be changed at the next login' })
  temporaryPassword: string;
}
