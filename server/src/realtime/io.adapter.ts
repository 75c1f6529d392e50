import { IoAdapter } from '@nestjs/platform-socket.io';
import type { INestApplicationContext } from '@nestjs/common';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO server options that depend on configuration (origins, limits). Compression stays
 * off (permessage-deflate is known for memory blow-ups). The cross-node adapter is added here.
 */
export class AppIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly origins: string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const allowed = new Set(this.origins);
    return super.createIOServer(port, {
      ...(options as ServerOptions),
      path: '/socket.io',
      perMessageDeflate: false,
      maxHttpBufferSize: 256 * 1024,
      cors: { origin: [...allowed], credentials: true },
      // Browsers always send Origin; non-browser clients (tests, integrations) may not. The web app
      // this server serves itself is same-origin, whatever host and port it is reached on.
      allowRequest: (req, callback) => {
        const origin = req.headers.origin;
        callback(null, !origin || allowed.has(origin) || sameOrigin(origin, req.headers.host));
      },
    });
  }
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
