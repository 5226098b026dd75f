// A TCP proxy in front of an SMTP server that drops the connection carrying a
// given recipient the first time its RCPT TO goes by (before the server sees
// it): a connection lost in the middle of a batch, with that message not
// delivered.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DroppingProxy {
  /** The target URL with the proxy's port. */
  url: string;
  /** Connections dropped so far. */
  drops: number;
  close(): Promise<void>;
}

export async function startDroppingProxy(targetUrl: string, recipient: string): Promise<DroppingProxy> {
  const target = new URL(targetUrl);
  const needle = `RCPT TO:<${recipient.toLowerCase()}>`;
  const sockets = new Set<Socket>();
  let dropped = false;
  const proxy: DroppingProxy = { url: '', drops: 0, close: async () => undefined };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (!dropped && chunk.toString('latin1').toLowerCase().includes(needle.toLowerCase())) {
        dropped = true;
        proxy.drops++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.port = String((server.address() as AddressInfo).port);
  proxy.url = url.toString().replace(/\/$/, '');
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
