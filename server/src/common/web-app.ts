import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Paths the server itself owns; everything else a browser asks for belongs to the web app. */
const SERVER_PATHS = ['/api', '/admin', '/socket.io', '/metrics'];

const ownedByServer = (path: string): boolean => SERVER_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * Serves the built web app: its files, and index.html for its client-side routes so deep links
 * survive a reload. Unknown paths under /api still get the JSON 404.
 */
export function webApp(clientDist: string): express.RequestHandler[] {
  const index = resolve(clientDist, 'index.html');
  if (!existsSync(index)) return [];
  const files = express.static(clientDist, { index: 'index.html', maxAge: '1h' });
  const fallback = (req: Request, res: Response, next: NextFunction): void => {
    const path = req.originalUrl.split('?')[0] ?? '';
    if ((req.method === 'GET' || req.method === 'HEAD') && !ownedByServer(path) && !/\.\w+$/.test(path)) {
      res.sendFile(index);
      return;
    }
    next();
  };
  const staticFiles = (req: Request, res: Response, next: NextFunction): void => {
    if (ownedByServer(req.path)) next();
    else void files(req, res, next);
  };
  return [staticFiles, fallback];
}
