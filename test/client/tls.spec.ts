// TLS options of the client against a local HTTPS endpoint with a self-signed certificate (generated with openssl).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZStackClient, ZStackError, type ConnectionSettings } from "pulumi-zstack-vm/zstack";

function makeCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "zstack-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return {
      key: readFileSync(join(dir, "key.pem"), "utf8"),
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
    };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("client: TLS", function () {
  let server: Server;
  let port: number;
  let cert: string;
  const paths: string[] = [];

  before(async function () {
    const material = makeCertificate();
    if (!material) this.skip();
    cert = material.cert;
    server = createServer({ key: material.key, cert: material.cert }, (req, res) => {
      paths.push(`${req.method} ${req.url}`);
      res.setHeader("content-type", "application/json;charset=UTF-8");
      if (req.method === "PUT" && req.url === "/zstack/v1/accounts/login") {
        res.end(JSON.stringify({ inventory: { uuid: "5e55105e55105e55105e55105e55105e" } }));
      } else if (req.method === "GET" && req.url?.startsWith("/zstack/v1/vm-instances/")) {
        res.end(JSON.stringify({ inventories: [] }));
      } else {
        res.end("{}");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  const settings = (tls?: ConnectionSettings["tls"]): ConnectionSettings => ({
    scheme: "https",
    host: "127.0.0.1",
    port,
    contextPath: "zstack",
    credentials: { kind: "account", accountName: "admin", password: "password" },
    ...(tls ? { tls } : {}),
  });

  it("trusts a CA bundle given as PEM text", async () => {
    const client = new ZStackClient(settings({ caBundle: cert }));
    try {
      assert.equal(await client.getVm("0".repeat(32)), undefined);
      assert.equal(client.stats.logins, 1);
    } finally {
      await client.close();
    }
  });

  it("uses the system trust store by default, so a self-signed server is refused (not retried)", async () => {
    const client = new ZStackClient(settings());
    try {
      await assert.rejects(client.getVm("0".repeat(32)), (error: unknown) => {
        assert.ok(ZStackError.isInstance(error));
        assert.equal(error.code, "CLIENT.TRANSPORT");
        assert.equal(error.fault, "transport");
        assert.equal(error.retryable, false);
        assert.equal(error.operation, "login");
        assert.match(error.message, /SELF_SIGNED|self[- ]signed|certificate/i);
        return true;
      });
      assert.equal(client.stats.requests.login, 1);
      assert.equal(client.stats.retries, 0);
    } finally {
      await client.close();
    }
  });

  it("skips verification only with the explicit insecure switch", async () => {
    const client = new ZStackClient(settings({ insecure: true }));
    try {
      assert.equal(await client.getVm("0".repeat(32)), undefined);
    } finally {
      await client.close();
    }
    assert.ok(paths.includes("DELETE /zstack/v1/accounts/sessions/5e55105e55105e55105e55105e55105e"));
  });
});
