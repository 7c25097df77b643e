/**
 * A TCP proxy on a port it binds itself (port 0, read back), forwarding each connection to wherever
 * `target()` says the server is now. A test can so restart a server on a fresh port of its own while
 * its clients keep one address: while `target()` is undefined the server is down, and a connection
 * is reset at once, as a refused one would be.
 */
import * as net from "node:net";

export interface TcpProxy {
  url: string;
  close(): Promise<void>;
}

export async function startTcpProxy(target: () => number | undefined): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  };
  const server = net.createServer((client) => {
    track(client);
    const port = target();
    if (port === undefined) return void client.resetAndDestroy();
    const upstream = net.connect({ host: "127.0.0.1", port });
    track(upstream);
    client.pipe(upstream).pipe(client);
    // Either side cut (the server stopped, the client gave up): cut the other one too.
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
