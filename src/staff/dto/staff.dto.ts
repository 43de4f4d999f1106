import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from '../domain/roles';
import { StaffEntity } from '../staff.entity';

export class StaffResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Rosa Nurse' }) name: string;
  @ApiProperty({ example: 'rosa@clinic.example' }) email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The clinics this person works at' }) locationIds: string[];
}

/** Never the password hash. */
export function toStaffResponse(staff: StaffEntity): StaffResponse {
  return {
    id: staff.id,
    name: staff.name,
    email: staff.email,
    role: staff.role,
    active: staff.active,
    locationIds: (staff.locations ?? []).map((location) => location.id).sort(),
  };
}

export class StaffQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only staff who work at this clinic' })
  @IsOptional()
  @IsUUID()
  locationId?: string;
}

export class CreateStaffDto {
  @ApiProperty({ example: 'Rosa Nurse' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: 'rosa@clinic.example', description: 'Unique; stored lower-case' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    minLength: 12,
    description:
      'Without a password the person cannot log in. At least 12 characters, not a common or breached password, not containing the name part of the email',
  })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password?: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  locationIds: string[];
}

/** PATCH /api/staff/{id}: takes effect on the person's next request, on every instance. */
export class UpdateStaffDto {
  @ApiPropertyOptional({ example: 'Rosa Nurse' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the clinics this person works at (and may act on)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  locationIds?: string[];

  @ApiPropertyOptional({ description: 'false: the person can no longer sign in, and their sessions end at once' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
