import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../common/actor';
import { Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponse } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  login(@Body() dto: LoginDto, @CurrentActor() actor: Actor): Promise<LoginResponse> {
    return this.auth.login(dto.email, dto.password, actor);
  }
}
