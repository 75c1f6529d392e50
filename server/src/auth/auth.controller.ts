import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LoginRequest, Me, RefreshRequest, TokenPair } from '@xietong/shared';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import type { Actor } from '../common/policy/actor.js';
import { Returns, ValidBody } from '../common/zod.js';
import { AuthService } from './auth.service.js';

export const DASHBOARD_COOKIE = 'xt_dashboard';
const DASHBOARD_COOKIE_TTL = 300;

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @HttpCode(200)
  @Policy('public.read')
  @Returns(200, TokenPair)
  login(@ValidBody(LoginRequest) body: LoginRequest, @Req() req: Request): Promise<TokenPair> {
    return this.auth.login(body.username, body.password, { address: req.ip, userAgent: req.headers['user-agent'] });
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @Policy('public.read')
  @Returns(200, TokenPair)
  refresh(@ValidBody(RefreshRequest) body: RefreshRequest): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @Policy('session.self')
  @Returns(204)
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }

  @Get('me')
  @ApiBearerAuth()
  @Policy('session.self')
  @Returns(200, Me)
  me(@CurrentActor() actor: Actor): Promise<Me> {
    return this.auth.me(actor);
  }

  /**
   * A page the browser navigates to cannot carry a bearer header: this sets a short-lived
   * HttpOnly cookie, scoped to /admin, that the queue dashboard accepts.
   */
  @Post('auth/dashboard-session')
  @HttpCode(204)
  @ApiBearerAuth()
  @Policy('queue.dashboard')
  @Returns(204)
  async dashboardSession(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = await this.auth.dashboardToken(actor, DASHBOARD_COOKIE_TTL);
    res.cookie(DASHBOARD_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: false,
      path: '/admin',
      maxAge: DASHBOARD_COOKIE_TTL * 1000,
    });
  }
}
