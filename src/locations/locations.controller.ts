import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { ValidatedArrayPipe } from '../common/validation';
import {
  CreateResourceDto,
  LocationResponse,
  OpeningHoursDto,
  ResourceResponse,
  toLocationResponse,
  toOpeningHoursDto,
  toResourceResponse,
} from './dto/location.dto';
import { LocationsService } from './locations.service';

@ApiTags('locations')
@ApiBearerAuth()
@Controller('locations')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Get()
  @ApiOkResponse({ type: [LocationResponse] })
  async list(): Promise<LocationResponse[]> {
    return (await this.locations.list()).map(toLocationResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: LocationResponse })
  async get(@UuidParam('id') id: string): Promise<LocationResponse> {
    return toLocationResponse(await this.locations.get(id));
  }

  @Get(':id/resources')
  @ApiOkResponse({ type: [ResourceResponse] })
  async resources(@UuidParam('id') id: string): Promise<ResourceResponse[]> {
    return (await this.locations.listResources(id)).map(toResourceResponse);
  }

  @Roles('admin')
  @Post(':id/resources')
  @ApiCreatedResponse({ type: ResourceResponse })
  async addResource(
    @UuidParam('id') id: string,
    @Body() dto: CreateResourceDto,
    @CurrentActor() actor: Actor,
  ): Promise<ResourceResponse> {
    return toResourceResponse(await this.locations.addResource(id, dto, actor));
  }

  @Get(':id/hours')
  @ApiOkResponse({ type: [OpeningHoursDto] })
  async hours(@UuidParam('id') id: string): Promise<OpeningHoursDto[]> {
    return (await this.locations.getHours(id)).map(toOpeningHoursDto);
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
    return (await this.locations.replaceHours(id, hours, actor)).map(toOpeningHoursDto);
  }
}
