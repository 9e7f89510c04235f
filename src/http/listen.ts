import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { listenHost, type Config } from '../config.ts';

/**
 * Starts the HTTP server on PORT at HOST — by default loopback (127.0.0.1) outside production, so the
 * development console, which lets the body name any sender, is not reachable from the network
 * (docs/guides/administrator.md, "Signing in to the console"); 0.0.0.0 in production.
 */
export function listen(fetch: (req: Request) => Response | Promise<Response>, config: Pick<Config, 'NODE_ENV' | 'HOST' | 'PORT'>, onListening?: (info: AddressInfo) => void): ServerType {
  return serve({ fetch, port: config.PORT, hostname: listenHost(config) }, onListening);
}
