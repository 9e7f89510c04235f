/**
 * The part of `ws` 8 the local AI-bot WebSocket server uses (test/fakes/aibot-ws.ts). The package
 * ships no types and @types/ws is not installed; this declares only what the fake calls.
 */
declare module 'ws' {
  import { EventEmitter } from 'node:events';
  export class WebSocket extends EventEmitter {
    readonly readyState: number;
    readonly OPEN: number;
    send(data: string): void;
    terminate(): void;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(opts: { port: number; host?: string });
    readonly clients: Set<WebSocket>;
    address(): unknown;
    close(cb?: () => void): void;
  }
  /** The client options the SDK's typings name (passed through untouched). */
  export type ClientOptions = Record<string, unknown>;
}
