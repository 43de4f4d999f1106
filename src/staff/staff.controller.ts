import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Access } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { CreateShiftDto, ShiftQueryDto, ShiftResponse } from './dto/shift.dto';
import { CreateStaffDto, StaffQueryDto, StaffResponse, UpdateStaffDto } from './dto/staff.dto';
import { StaffService } from './staff.service';

@ApiTags('staff')
@ApiBearerAuth()
@Controller('staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Roles('admin')
  @Get()
  @ApiOkResponse({ type: [StaffResponse], description: 'Sorted by name' })
  list(@Query() query: StaffQueryDto): Promise<StaffResponse[]> {
    return this.staff.list(query);
  }

  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: StaffResponse })
  @ApiConflictResponse({ description: 'The email is taken (rule staff-email-unique)' })
  create(@Body() dto: CreateStaffDto, @CurrentActor() actor: Actor): Promise<StaffResponse> {
    return this.staff.create(dto, actor);
  }

  @Roles('admin')
  @Patch(':id')
  @ApiOkResponse({ type: StaffResponse, description: "Takes effect on the person's next request, on every instance" })
  @ApiConflictResponse({ description: 'last-admin: the last active admin cannot be demoted or deactivated' })
  update(@UuidParam('id') id: string, @Body() dto: UpdateStaffDto, @CurrentActor() actor: Actor): Promise<StaffResponse> {
    return this.staff.update(id, dto, actor);
  }

  @Roles('front_desk', 'nurse', 'provider')
  @Access.filtered("only the shifts at the actor's clinics")
  @Get(':id/shifts')
  @ApiOkResponse({ type: [ShiftResponse], description: 'Shifts overlapping [from, to), sorted by start' })
  shifts(@UuidParam('id') id: string, @Query() query: ShiftQueryDto, @CurrentActor() actor: Actor): Promise<ShiftResponse[]> {
    return this.staff.listShifts(id, query, actor);
  }

  @Roles('admin')
  @Post(':id/shifts')
  @ApiCreatedResponse({ type: ShiftResponse })
  @ApiConflictResponse({
    description: 'Overlaps another shift of that person (staff-shift-overlap), or not one of their clinics (shift-location-not-assigned)',
  })
  addShift(@UuidParam('id') id: string, @Body() dto: CreateShiftDto, @CurrentActor() actor: Actor): Promise<ShiftResponse> {
    return this.staff.addShift(id, dto, actor);
  }

  @Roles('admin')
  @Delete(':id/shifts/:shiftId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeShift(@UuidParam('id') id: string, @UuidParam('shiftId') shiftId: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.staff.removeShift(id, shiftId, actor);
  }
}
