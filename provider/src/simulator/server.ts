// The HTTP(S) front end: reads requests, strips the context path, routes them, applies injected faults,
// writes replies the way the management node does (JSON or plain text), and logs every request.

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { preciseNow } from "./clock";
import type { Fault, FaultInjector } from "./faults";
import type { Counters, RequestLog, RequestLogEntry } from "./request-log";
import type { Handled, RoutedCall, Routes } from "./routes";
import { textReply, toJson, type Reply } from "./wire";

/** PEM material that makes the simulator serve HTTPS. */
export interface TlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

/** What the front end needs from the rest of the node. */
interface FrontendDeps {
  readonly contextPath: string;
  readonly routes: Routes;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly counters: Counters;
  /** The `expireSession` fault: expire this session, or every session when the request carries none. */
  expireSession(sessionUuid: string | undefined): void;
  /** The `loseJob` fault. */
  loseJob(jobUuid: string): void;
}

const CONTENT_TYPES = {
  json: "application/json;charset=UTF-8",
  "text/plain": "text/plain;charset=UTF-8",
  "text/html": "text/html;charset=UTF-8",
} as const;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function write(res: ServerResponse, reply: Reply): void {
  if (reply.text === undefined) {
    const body = toJson(reply.json);
    res.writeHead(reply.status, {
      "Content-Type": CONTENT_TYPES.json,
      "Content-Length": Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  const contentType = CONTENT_TYPES[reply.contentType === "text/html" ? "text/html" : "text/plain"];
  res.writeHead(reply.status, {
    ...reply.headers,
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(reply.text),
  });
  res.end(reply.text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The listening server of one simulator. */
export class Frontend {
  private readonly server: Server;
  /** The open connections (TLS sockets when serving HTTPS), so that a restart can drop them and see them closed. */
  private readonly connections = new Set<Socket>();

  constructor(
    private readonly deps: FrontendDeps,
    tls: TlsOptions | undefined,
  ) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    this.server = tls === undefined ? createHttpServer(handler) : createHttpsServer(tls, handler);
    this.server.on(tls === undefined ? "connection" : "secureConnection", (socket: Socket) => {
      this.connections.add(socket);
      socket.once("close", () => this.connections.delete(socket));
    });
  }

  /** Starts listening; resolves to the bound address. */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Drops every open connection, idle or busy (a restart), and resolves once each is closed; the server keeps
   * listening. A client learns of the drop only when it next reads from its end of a connection.
   */
  async dropConnections(): Promise<void> {
    const open = [...this.connections];
    const closed = open.map((socket) => new Promise((resolve) => socket.once("close", resolve)));
    for (const socket of open) socket.destroy();
    await Promise.all(closed);
  }

  /** Stops listening and drops every connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = preciseNow();
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    const base = { method, path: url.pathname, receivedAt };
    let entry: Omit<RequestLogEntry, "seq" | "finishedAt" | "durationMs"> = base;
    let status: number | undefined;
    try {
      const body = await readBody(req);
      const prefix = `/${this.deps.contextPath}`;
      const inContext = url.pathname.startsWith(`${prefix}/`);
      const routed: RoutedCall | Reply = inContext
        ? this.deps.routes.route({
            method,
            requestUri: url.pathname,
            path: url.pathname.slice(prefix.length),
            search: url.searchParams,
            headers: req.headers,
            body,
          })
        : textReply(404, `no api mapping to ${url.pathname}`);
      if (!("kind" in routed)) {
        write(res, routed);
        status = routed.status;
        return;
      }
      const fault = this.deps.faults.take(routed);
      entry = {
        ...base,
        kind: routed.kind,
        ...(routed.action === undefined ? {} : { action: routed.action }),
        ...(routed.vmUuid === undefined ? {} : { vmUuid: routed.vmUuid }),
        ...(routed.jobUuid === undefined ? {} : { jobUuid: routed.jobUuid }),
        ...(fault === undefined ? {} : { fault: fault.kind }),
      };
      const handled = await this.process(routed, fault);
      if (handled.jobUuid !== undefined) entry = { ...entry, jobUuid: handled.jobUuid };
      if (handled.reply === undefined) {
        req.socket.destroy();
        return;
      }
      write(res, handled.reply);
      status = handled.reply.status;
    } catch (e) {
      // RestServer answers unexpected exceptions with 500 and the message.
      const reply = textReply(500, e instanceof Error ? e.message : String(e));
      if (!res.headersSent) write(res, reply);
      status = reply.status;
    } finally {
      const finishedAt = preciseNow();
      const logged = this.deps.log.record({
        ...entry,
        ...(status === undefined ? {} : { status }),
        finishedAt,
        durationMs: finishedAt - receivedAt,
      });
      this.deps.counters.record(logged);
    }
  }

  // Applies the fault around the handler; no reply means the connection is to be reset.
  private async process(
    routed: RoutedCall,
    fault: Fault | undefined,
  ): Promise<{ readonly reply?: Reply; readonly jobUuid?: string }> {
    switch (fault?.kind) {
      case undefined:
        return routed.handle();
      case "status":
        return {
          reply: { status: fault.status, text: fault.body, contentType: fault.contentType ?? "text/plain" },
        };
      case "reset":
        if (fault.when === "beforeAccept") return {};
        return { ...this.withoutReply(await routed.handle()) };
      case "delay":
        await sleep(fault.ms);
        return routed.handle();
      case "expireSession":
        this.deps.expireSession(routed.sessionUuid);
        return routed.handle();
      case "loseJob":
        if (routed.jobUuid !== undefined) this.deps.loseJob(routed.jobUuid);
        return routed.handle();
    }
  }

  private withoutReply(handled: Handled): { readonly jobUuid?: string } {
    return handled.jobUuid === undefined ? {} : { jobUuid: handled.jobUuid };
  }
}
