import net from 'node:net';

export type RelayMode = 'pass' | 'slow' | 'frozen';

export interface TcpRelay {
  port: number;
  /**
   * 'pass': bytes go through; 'slow': each answer from the target is held back `slowMs`; 'frozen':
   * nothing passes either way and nothing is closed — a half-open line, as after a NAT or firewall
   * drop, which the client does not notice.
   */
  mode: RelayMode;
  /** Cuts every connection made so far (the client sees them close). */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * A TCP relay to `target` (e.g. Redis) whose line the test can slow or freeze (docs/testing.md).
 * `onClientData` sees each connection's bytes towards the target (`npm run bench:http` counts a
 * turn's round trips with it).
 */
export async function startTcpRelay(target: { host: string; port: number }, opts: { slowMs?: number; onClientData?: (connection: number, d: Buffer) => void } = {}): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  const slowMs = opts.slowMs ?? 400;
  let connections = 0;
  const server = net.createServer((client) => {
    const connection = connections++;
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => {
      opts.onClientData?.(connection, d);
      if (relay.mode !== 'frozen') upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (relay.mode === 'pass') client.write(d);
      else if (relay.mode === 'slow') setTimeout(() => void (relay.mode === 'frozen' || client.write(d)), slowMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const relay: TcpRelay = {
    port: (server.address() as net.AddressInfo).port,
    mode: 'pass',
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      relay.dropConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return relay;
}
