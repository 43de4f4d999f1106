import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { Roles } from './auth.decorators';
import { AuthService } from './auth.service';
import { TemporaryPasswordResponse } from './dto/auth.dto';

/** An administrator's help with someone's credentials (the staff module keeps role, clinics and the active flag). */
@ApiTags('staff')
@ApiBearerAuth()
@Roles('admin')
@Controller('staff')
export class AccountsController {
  constructor(private readonly auth: AuthService) {}

  @Post(':id/password-reset')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A temporary password, to be changed at the next login',
    description: "The person's sessions end; until they change it, their new session can only change the password. Also unlocks a locked account.",
  })
  @ApiOkResponse({ type: TemporaryPasswordResponse })
  resetPassword(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<TemporaryPasswordResponse> {
    return this.auth.resetPassword(id, actor);
  }

  @Post(':id/mfa-reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the second factor (a lost phone); the person sets it up again at the next login and their sessions end' })
  @ApiNoContentResponse()
  async resetMfa(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.auth.resetMfa(id, actor);
  }
}
