import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class LiveEventsQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The clinic whose changes to stream' })
  @IsUUID()
  locationId: string;
}
