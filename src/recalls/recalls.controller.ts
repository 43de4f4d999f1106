import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Access, query } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { RecallQueryDto, RecallResponse } from './dto/recall.dto';
import { RecallsService } from './recalls.service';

@ApiTags('recalls')
@ApiBearerAuth()
@Controller('recalls')
export class RecallsController {
  constructor(private readonly recalls: RecallsService) {}

  /** Patients of a clinic due for a session with none booked, soonest due first. */
  @Roles('front_desk', 'nurse', 'provider')
  @Access({ location: query('locationId') })
  @Get()
  @ApiOkResponse({ type: [RecallResponse] })
  list(@Query() query: RecallQueryDto, @CurrentActor() actor: Actor): Promise<RecallResponse[]> {
    return this.recalls.list(query, actor);
  }
}
