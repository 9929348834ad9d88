import { createConnection, createServer, type Server, type Socket } from "node:net";

/** The operations of the ZStack API the provider uses, as they appear on the wire. */
export type Operation = "login" | "vmQuery" | "resourceConfig" | "actionSubmit" | "jobPoll";

/**
 * The request line of each operation. The simulator's fault injector cannot refuse connections or restart the node in
 * the middle of one particular request, so the proxy recognizes requests by their first line instead.
 */
const REQUEST_LINES: Readonly<Record<Operation, RegExp>> = {
  login: /^PUT \/[^ ]*\/v1\/accounts\/login /,
  vmQuery: /^GET \/[^ ]*\/v1\/vm-instances\/[0-9a-f]+ /,
  resourceConfig: /^GET \/[^ ]*\/v1\/resource-configurations\//,
  actionSubmit: /^PUT \/[^ ]*\/v1\/vm-instances\/[0-9a-f]+\/actions /,
  jobPoll: /^GET \/[^ ]*\/v1\/api-jobs\//,
};

/** What to do with the request a hook matched, once the hook ran. */
export type Verdict = "forward" | "drop";

interface Hook {
  readonly operation: Operation;
  readonly run: () => Promise<Verdict>;
}

/**
 * A loopback TCP proxy in front of the simulator, for the faults that live below HTTP: connections refused (nothing
 * listens) while the node is down, and events tied to the arrival of one request (a restart, an out-of-band change).
 * Hooks fire once, on the first request of their operation, before that request is forwarded.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  /** The connections clients opened to the proxy, and who waits for there to be none. */
  private readonly clients = new Set<Socket>();
  private idleWaiters: (() => void)[] = [];
  private hooks: Hook[] = [];
  private listening = true;
  private down = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Starts a proxy on an ephemeral loopback port that forwards to `127.0.0.1:targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("proxy has no port");
    const proxy = new TcpProxy(server, address.port);
    server.on("connection", (client) => proxy.accept(client, targetPort));
    return proxy;
  }

  /** Runs `run` when the first request of `operation` arrives; its verdict decides whether that request goes on. */
  on(operation: Operation, run: () => Promise<Verdict> | Verdict): void {
    this.hooks.push({ operation, run: async () => run() });
  }

  /**
   * Takes the node off the network: stops listening (new connections are refused: ECONNREFUSED) and drops every open
   * connection; it comes back after `ms`, or never for `Infinity`.
   */
  async outage(ms: number): Promise<void> {
    this.down = true;
    if (this.listening) {
      this.listening = false;
      this.server.close();
    }
    for (const socket of this.sockets) socket.destroy();
    if (!Number.isFinite(ms)) return;
    await new Promise((resolve) => setTimeout(resolve, ms));
    await new Promise<void>((resolve) => this.server.listen(this.port, "127.0.0.1", resolve));
    this.listening = true;
    this.down = false;
  }

  /** The connections clients hold open to the proxy now. */
  get openConnections(): number {
    return this.clients.size;
  }

  /** Resolves once no client holds a connection open to the proxy (at once when none does). */
  whenNoConnections(): Promise<void> {
    if (this.clients.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the proxy and drops every connection. */
  async close(): Promise<void> {
    this.hooks = [];
    for (const socket of this.sockets) socket.destroy();
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, targetPort: number): void {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    this.clients.add(client);
    client.on("close", () => {
      this.clients.delete(client);
      if (this.clients.size > 0) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    upstream.on("data", (data) => client.write(data));
    // Chunks are handled in order; a hook may hold its request while it runs.
    let queue = Promise.resolve();
    client.on("data", (chunk: Buffer) => {
      queue = queue.then(async () => {
        const hook = this.take(chunk.toString("latin1", 0, Math.min(chunk.length, 300)));
        if (hook !== undefined && (await hook.run()) === "drop") {
          client.destroy();
          upstream.destroy();
          return;
        }
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
  }

  private take(head: string): Hook | undefined {
    const line = head.split("\r\n", 1)[0] ?? "";
    const index = this.hooks.findIndex((hook) => REQUEST_LINES[hook.operation].test(line));
    if (index < 0) return undefined;
    const [hook] = this.hooks.splice(index, 1);
    return hook;
  }
}
