import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Access, param } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { CalendarDateParam, UuidParam } from '../common/params';
import { ValidatedArrayPipe } from '../common/validation';
import {
  ClosureQueryDto,
  ClosureResponse,
  CreateClosureDto,
  CreatedClosureResponse,
  CreateResourceDto,
  LocationResponse,
  LocationSettingsResponse,
  OpeningHoursDto,
  ResourceResponse,
  UpdateLocationSettingsDto,
} from './dto/location.dto';
import { LocationsService } from './locations.service';

@ApiTags('locations')
@ApiBearerAuth()
@Controller('locations')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Access.filtered("a non-admin's own clinics")
  @Get()
  @ApiOkResponse({ type: [LocationResponse] })
  list(@CurrentActor() actor: Actor): Promise<LocationResponse[]> {
    return this.locations.list(actor);
  }

  @Access({ location: param('id') })
  @Get(':id')
  @ApiOkResponse({ type: LocationResponse })
  get(@UuidParam('id') id: string): Promise<LocationResponse> {
    return this.locations.get(id);
  }

  @Access({ location: param('id') })
  @Get(':id/resources')
  @ApiOkResponse({ type: [ResourceResponse] })
  resources(@UuidParam('id') id: string): Promise<ResourceResponse[]> {
    return this.locations.listResources(id);
  }

  @Roles('admin')
  @Post(':id/resources')
  @ApiCreatedResponse({ type: ResourceResponse })
  addResource(@UuidParam('id') id: string, @Body() dto: CreateResourceDto, @CurrentActor() actor: Actor): Promise<ResourceResponse> {
    return this.locations.addResource(id, dto, actor);
  }

  @Access({ location: param('id') })
  @Get(':id/hours')
  @ApiOkResponse({ type: [OpeningHoursDto] })
  hours(@UuidParam('id') id: string): Promise<OpeningHoursDto[]> {
    return this.locations.getHours(id);
  }

  @Roles('admin')
  @Put(':id/hours')
  @ApiBody({ type: [OpeningHoursDto] })
  @ApiOkResponse({ type: [OpeningHoursDto] })
  async replaceHours(
    @UuidParam('id') id: string,
    @Body(new ValidatedArrayPipe(OpeningHoursDto, 7)) hours: OpeningHoursDto[],
    @CurrentActor() actor: Actor,
  ): Promise<OpeningHoursDto[]> {
    return this.locations.replaceHours(id, hours, actor);
  }

  @Access({ location: param('id') })
  @Get(':id/closures')
  @ApiOkResponse({ type: [ClosureResponse], description: 'Sorted by date' })
  closures(@UuidParam('id') id: string, @Query() query: ClosureQueryDto): Promise<ClosureResponse[]> {
    return this.locations.listClosures(id, query);
  }

  @Roles('admin')
  @Post(':id/closures')
  @ApiCreatedResponse({ type: CreatedClosureResponse })
  @ApiConflictResponse({ description: 'The location is already closed on that date (rule one-closure-per-day)' })
  addClosure(@UuidParam('id') id: string, @Body() dto: CreateClosureDto, @CurrentActor() actor: Actor): Promise<CreatedClosureResponse> {
    return this.locations.addClosure(id, dto, actor);
  }

  @Roles('admin')
  @Delete(':id/closures/:date')
  @HttpCode(204)
  @ApiParam({ name: 'date', example: '2026-12-24', description: 'Clinic-local calendar date YYYY-MM-DD' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No closure on that date' })
  async removeClosure(@UuidParam('id') id: string, @CalendarDateParam('date') date: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.locations.removeClosure(id, date, actor);
  }

  @Access({ location: param('id') })
  @Get(':id/settings')
  @ApiOkResponse({ type: LocationSettingsResponse })
  settings(@UuidParam('id') id: string): Promise<LocationSettingsResponse> {
    return this.locations.getSettings(id);
  }

  @Roles('admin')
  @Patch(':id/settings')
  @ApiOkResponse({ type: LocationSettingsResponse })
  updateSettings(@UuidParam('id') id: string, @Body() dto: UpdateLocationSettingsDto, @CurrentActor() actor: Actor): Promise<LocationSettingsResponse> {
    return this.locations.updateSettings(id, dto, actor);
  }
}
