import net from "node:net";

import { freePort } from "./gateway-process";

/**
 * A TCP proxy on loopback that stands in for a database coming and going: while closed
 * nothing listens on its port (clients get ECONNREFUSED), while open it pipes each
 * connection to the target. Closing also cuts the connections it is piping.
 */
export interface TcpProxy {
  readonly port: number;
  readonly isOpen: boolean;
  /** Starts listening on `port` and piping to the target. */
  open(): Promise<void>;
  /** Stops listening and destroys every piped connection. */
  close(): Promise<void>;
}

export async function createTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // A cut connection errors on both sides; the client sees it, the proxy need not.
    socket.on("error", () => undefined);
  };
  let server: net.Server | null = null;
  return {
    port,
    get isOpen() {
      return server !== null;
    },
    async open() {
      if (server) {
        return;
      }
      const listening = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        track(client);
        track(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.once("close", () => upstream.destroy());
        upstream.once("close", () => client.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        listening.once("error", reject);
        listening.listen(port, "127.0.0.1", () => resolve());
      });
      server = listening;
    },
    async close() {
      const closing = server;
      server = null;
      for (const socket of sockets) {
        socket.destroy();
      }
      if (closing) {
        await new Promise<void>((resolve) => closing.close(() => resolve()));
      }
    },
  };
}
