import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, InjectBullBoard, type BullBoardInstance } from '@bull-board/nestjs';
import type { NextFunction, Request, Response } from 'express';
import { Role } from '@xietong/shared';
import { AuthModule } from '../auth/auth.module.js';
import { AuthService } from '../auth/auth.service.js';
import { DASHBOARD_COOKIE } from '../auth/auth.controller.js';
import { QueueService } from '../queue/queue.service.js';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/** The dashboard is a page the browser navigates to: it accepts the short-lived HttpOnly cookie. */
function dashboardGuard(auth: AuthService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = (req.cookies as Record<string, string> | undefined)?.[DASHBOARD_COOKIE];
    auth.authenticate(token, 'dashboard').then(
      (actor) => {
        if (actor.roles.includes(Role.SystemAdmin)) next();
        else res.status(403).json({ statusCode: 403, error: 'Forbidden', message: '仅系统管理员可查看队列面板' });
      },
      () =>
        res.status(401).json({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'Sign in as a system admin, then POST /api/auth/dashboard-session to open the queue dashboard',
        }),
    );
  };
}

@Injectable()
class QueueDashboardRegistrar implements OnApplicationBootstrap {
  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly queues: QueueService,
  ) {}
  onApplicationBootstrap(): void {
    for (const q of this.queues.allQueues()) this.board.addQueue(new BullMQAdapter(q));
  }
}

@Module({
  imports: [
    BullBoardModule.forRootAsync({
      imports: [AuthModule],
      inject: [AuthService],
      useFactory: (auth: AuthService) => ({
        route: QUEUE_DASHBOARD_ROUTE,
        adapter: ExpressAdapter,
        middleware: dashboardGuard(auth),
        boardOptions: { uiConfig: { boardTitle: '协同平台队列' } },
      }),
    }),
  ],
  providers: [QueueDashboardRegistrar],
})
export class QueueDashboardModule {}
