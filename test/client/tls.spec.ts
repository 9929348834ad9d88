// TLS options of the client against a local HTTPS endpoint whose certificate a test CA signed (see support/tls.ts).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { ZStackClient, ZStackError, type ConnectionSettings } from "pulumi-zstack-vm/zstack";

import { makeTestCa, type TestCa } from "../support/tls";

describe("client: TLS", function () {
  let server: Server;
  let port: number;
  let material: TestCa;
  const paths: string[] = [];

  before(async () => {
    material = makeTestCa();
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
    material?.dispose();
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
    const client = new ZStackClient(settings({ caBundle: material.ca }));
    try {
      assert.equal(await client.getVm("0".repeat(32)), undefined);
      assert.equal(client.stats.logins, 1);
    } finally {
      await client.close();
    }
  });

  it("uses the system trust store by default, so a server signed by a private CA is refused (not retried)", async () => {
    const client = new ZStackClient(settings());
    try {
      await assert.rejects(client.getVm("0".repeat(32)), (error: unknown) => {
        assert.ok(ZStackError.isInstance(error));
        assert.equal(error.code, "CLIENT.TRANSPORT");
        assert.equal(error.fault, "transport");
        assert.equal(error.retryable, false);
        assert.equal(error.operation, "login");
        assert.match(error.message, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|certificate/i);
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
