import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LoginRequest, Me, RefreshRequest, TokenPair } from '@xietong/shared';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import type { Actor } from '../common/policy/actor.js';
import { Returns, ValidBody } from '../common/zod.js';
import { noteAudit } from '../audit/audit-context.js';
import { DomainError } from '../common/errors.js';
import { AuthService } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';

export const DASHBOARD_COOKIE = 'xt_dashboard';
const DASHBOARD_COOKIE_TTL = 300;

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @Policy('public.read')
  @Returns(200, TokenPair)
  async login(@ValidBody(LoginRequest) body: LoginRequest, @Req() req: Request): Promise<TokenPair> {
    const address = req.ip ?? 'unknown';
    this.throttle.assertAllowed(address);
    try {
      const pair = await this.auth.login(body.username, body.password, {
        address: req.ip,
        userAgent: req.headers['user-agent'],
      });
      const { id, username, agencyId } = pair.user;
      noteAudit({
        action: 'auth.login',
        objectType: 'User',
        objectId: id,
        actorId: id,
        actorName: username,
        agencyId,
        after: { outcome: 'success' },
      });
      return pair;
    } catch (e) {
      if (e instanceof DomainError && (e.status === 401 || e.status === 429)) {
        this.throttle.fail(address);
        noteAudit({
          action: 'auth.login_failed',
          objectType: 'User',
          objectId: null,
          after: { username: body.username.slice(0, 64), outcome: e.status === 429 ? 'locked' : 'bad_credentials' },
        });
      }
      throw e;
    }
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
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.auth.logout(actor);
    noteAudit({ action: 'auth.logout', objectType: 'User', objectId: actor.userId });
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
