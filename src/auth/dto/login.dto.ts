import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
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
}

export class StaffUserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
}

export class LoginResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ type: StaffUserResponse }) user: StaffUserResponse;
}
