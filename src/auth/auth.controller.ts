import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor, AuthenticatedUser, ClientAddress, CurrentActor, CurrentUser } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { Access } from '../access/access.decorators';
import { Public, SessionSetup } from './auth.decorators';
import { AuthService, IssuedSession, restrictionOf } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResponse, MeResponse, MfaConfirmDto, MfaSetupResponse } from './dto/auth.dto';

/** The refresh cookie: httpOnly (no script reads it), SameSite=Strict, sent only to /api/auth. */
export const REFRESH_COOKIE = 'clinic_refresh';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in: an access token, and a rotating refresh cookie',
    description:
      'Failed logins are throttled per account and per client address (429 with Retry-After) and audited. With MFA on, a missing or wrong `otp` is a 401 whose type ends `mfa-required` or `mfa-invalid`.',
  })
  @ApiOkResponse({ type: LoginResponse })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins for the account or from the address (Retry-After), or the account is locked' })
  async login(
    @Body() dto: LoginDto,
    @ClientAddress() address: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    return this.withCookie(reply, await this.auth.login(dto, address, actor.requestId));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({
    summary: 'A new access token for the refresh cookie, which is rotated',
    description: 'A refresh token used twice ends the whole session (401), and its access tokens are refused from then on. An idle session ends.',
  })
  @ApiOkResponse({ type: LoginResponse })
  async refresh(@Req() request: FastifyRequest, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponse> {
    try {
      return this.withCookie(reply, await this.auth.refresh(request.cookies?.[REFRESH_COOKIE], actor.requestId));
    } catch (error) {
      this.clearCookie(reply);
      throw error;
    }
  }

  @SessionSetup()
  @Access.unscoped("one's own account")
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Ends the session: its access and refresh tokens are refused from then on' })
  @ApiNoContentResponse()
  async logout(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(user, actor);
    this.clearCookie(reply);
  }

  @SessionSetup()
  @Access.unscoped("one's own account")
  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentUser() user: AuthenticatedUser): MeResponse {
    return this.auth.me(user, restrictionOf({ ...user, passwordChangeRequired: false }, this.config.mfaRequiredRoles));
  }

  @SessionSetup()
  @Access.unscoped("one's own account")
  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Change one's own password",
    description:
      'The new one: at least 12 characters, not a common or breached password, not containing the name part of the email (400 naming newPassword). Ends the other sessions.',
  })
  @ApiNoContentResponse()
  async changePassword(
    @Body() dto: ChangePasswordDto,
    @CurrentUser() user: AuthenticatedUser,
    @ClientAddress() address: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.auth.changePassword(user, dto, address, actor);
  }

  @SessionSetup()
  @Access.unscoped("one's own account")
  @Post('mfa/setup')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Start TOTP enrolment: the otpauth:// URL (for a QR code) is returned this once',
    description: 'Confirm with a code to turn MFA on.',
  })
  @ApiOkResponse({ type: MfaSetupResponse })
  @ApiConflictResponse({ description: 'mfa-already-enabled' })
  setUpMfa(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<MfaSetupResponse> {
    return this.auth.setUpMfa(user, actor);
  }

  @SessionSetup()
  @Access.unscoped("one's own account")
  @Post('mfa/confirm')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Turn MFA on with the current code; a session limited to MFA setup becomes a full one' })
  @ApiOkResponse({ type: MeResponse })
  @ApiConflictResponse({ description: 'mfa-not-set-up' })
  confirmMfa(
    @Body() dto: MfaConfirmDto,
    @CurrentUser() user: AuthenticatedUser,
    @ClientAddress() address: string,
    @CurrentActor() actor: Actor,
  ): Promise<MeResponse> {
    return this.auth.confirmMfa(user, dto.otp, address, actor);
  }

  private withCookie(reply: FastifyReply, issued: IssuedSession): LoginResponse {
    void reply.setCookie(REFRESH_COOKIE, issued.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.publicBaseUrl.startsWith('https:'),
      path: '/api/auth',
      maxAge: issued.refreshMaxAge,
    });
    return issued.response;
  }

  private clearCookie(reply: FastifyReply): void {
    void reply.clearCookie(REFRESH_COOKIE, { path: '/api/auth', httpOnly: true, sameSite: 'strict' });
  }
}
