import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RealtimeBus } from './realtime.bus.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { SocketFloodGuard } from './socket-flood.js';

/** The bus has no dependencies so any module (auth included) can reach sockets through it. */
@Global()
@Module({ providers: [RealtimeBus, SocketFloodGuard], exports: [RealtimeBus, SocketFloodGuard] })
export class RealtimeBusModule {}

@Module({ imports: [AuthModule], providers: [RealtimeGateway] })
export class RealtimeModule {}
