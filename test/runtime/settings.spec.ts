import assert from "node:assert/strict";

import {
  checkSetConnectionSettings,
  resolveConnectionSettings,
  type ConfigSource,
} from "pulumi-zstack-vm/runtime";

const config = (values: Record<string, string>): ConfigSource => ({ get: (key) => values[key] });

describe("connection settings", () => {
  it("reads Pulumi config with defaults for port, scheme and context path", () => {
    const settings = resolveConnectionSettings(
      config({ "zstack:host": "mn.example", "zstack:accountName": "admin", "zstack:accountPassword": "pw" }),
      {},
    );
    // The defaults are written out rather than read from the shared constants: they are the documented contract with
    // users (a management node's own defaults), so changing a constant must fail here.
    assert.deepEqual(settings, {
      scheme: "http",
      host: "mn.example",
      port: 8080,
      contextPath: "zstack",
      credentials: { kind: "account", accountName: "admin", password: "pw" },
      tls: { caBundle: undefined, insecure: false },
    });
  });

  it("falls back to terraform-provider-zstack's environment variables, and config wins", () => {
    const env = {
      ZSTACK_HOST: "env-host",
      ZSTACK_PORT: "9090",
      ZSTACK_ACCESS_KEY_ID: "AKID",
      ZSTACK_ACCESS_KEY_SECRET: "secret",
    };
    const fromEnv = resolveConnectionSettings(config({}), env);
    assert.equal(fromEnv.host, "env-host");
    assert.equal(fromEnv.port, 9090);
    assert.deepEqual(fromEnv.credentials, {
      kind: "accessKey",
      accessKeyId: "AKID",
      accessKeySecret: "secret",
    });
    const mixed = resolveConnectionSettings(
      config({ "zstack:host": "cfg-host", "zstack:accountName": "a", "zstack:accountPassword": "b" }),
      env,
    );
    assert.equal(mixed.host, "cfg-host");
    assert.equal(mixed.port, 9090);
    // Credentials come as a group: config's account is not mixed with the environment's access key.
    assert.equal(mixed.credentials.kind, "account");
  });

  it("lists every missing setting with both ways to set it, and never quotes a secret", () => {
    assert.throws(
      () => resolveConnectionSettings(config({ "zstack:accountPassword": "hunter2-secret" }), {}),
      (error: Error) => {
        assert.match(error.message, /host is not set .*config `zstack:host` or env ZSTACK_HOST/);
        assert.match(
          error.message,
          /accountName is not set .*config `zstack:accountName` or env ZSTACK_ACCOUNT_NAME/,
        );
        assert.doesNotMatch(error.message, /hunter2-secret/);
        return true;
      },
    );
  });

  it("rejects a malformed port and scheme, and ambiguous credentials", () => {
    assert.throws(
      () =>
        resolveConnectionSettings(config({}), {
          ZSTACK_HOST: "h",
          ZSTACK_PORT: "80a",
          ZSTACK_SCHEME: "ftp",
          ZSTACK_ACCOUNT_NAME: "a",
          ZSTACK_ACCOUNT_PASSWORD: "p",
          ZSTACK_ACCESS_KEY_ID: "k",
          ZSTACK_ACCESS_KEY_SECRET: "s",
        }),
      (error: Error) => {
        assert.match(error.message, /port "80a" is not valid, expected a whole number from 1 to 65535/);
        assert.match(error.message, /scheme "ftp" is not valid, expected "http" or "https"/);
        assert.match(error.message, /both account credentials and an access key are set in the environment/);
        return true;
      },
    );
  });

  it("reads a CA bundle from PEM text or a file, and fails clearly on a bad path", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const base = { ZSTACK_HOST: "h", ZSTACK_ACCOUNT_NAME: "a", ZSTACK_ACCOUNT_PASSWORD: "p" };
    assert.equal(resolveConnectionSettings(config({ "zstack:caBundle": pem }), base).tls?.caBundle, pem);
    assert.throws(
      () => resolveConnectionSettings(config({ "zstack:caBundle": "/nonexistent/ca.pem" }), base),
      /caBundle "\/nonexistent\/ca.pem" is not valid, expected PEM text or the path of a readable PEM file/,
    );
  });

  it("takes a per-request timeout in whole seconds and rejects a bad one", () => {
    const base = { ZSTACK_HOST: "h", ZSTACK_ACCOUNT_NAME: "a", ZSTACK_ACCOUNT_PASSWORD: "p" };
    const settings = resolveConnectionSettings(config({ "zstack:requestTimeoutSeconds": "5" }), base);
    assert.equal(settings.requestTimeoutMs, 5000);
    assert.equal(resolveConnectionSettings(config({}), base).requestTimeoutMs, undefined);
    assert.throws(
      () => resolveConnectionSettings(config({}), { ...base, ZSTACK_REQUEST_TIMEOUT_SECONDS: "0.5" }),
      /requestTimeoutSeconds "0.5" is not valid, expected a whole number from 1 to 3600: fix config `zstack:requestTimeoutSeconds` or env ZSTACK_REQUEST_TIMEOUT_SECONDS/,
    );
  });

  it("names the setting, the value and the fix for a host with a port, a scheme or a path", () => {
    const base = { ZSTACK_ACCOUNT_NAME: "a", ZSTACK_ACCOUNT_PASSWORD: "p" };
    const cases: [string, RegExp][] = [
      [
        "127.0.0.1:8080",
        /put the port in `zstack:port` \(or env ZSTACK_PORT\): host 127\.0\.0\.1, port 8080/,
      ],
      ["[fd00::1]:8443", /put the port in `zstack:port` \(or env ZSTACK_PORT\): host fd00::1, port 8443/],
      ["https://mn.example:8443/zstack", /put the scheme in `zstack:scheme`.*the port in `zstack:port`/],
      ["mn.example/zstack", /put the path in `zstack:contextPath`/],
    ];
    for (const [host, fix] of cases) {
      assert.throws(
        () => resolveConnectionSettings(config({ "zstack:host": host }), base),
        (error: Error) => {
          assert.ok(
            error.message.includes(
              `host ${JSON.stringify(host)} is not valid, expected a host name or IP address`,
            ),
            error.message,
          );
          assert.match(error.message, fix);
          assert.match(error.message, /fix config `zstack:host` or env ZSTACK_HOST/);
          assert.doesNotMatch(error.message, /Invalid URL/);
          return true;
        },
      );
    }
    // IPv6 literals, bracketed or not, are host names, not host-and-port.
    for (const host of ["fd00::1", "[fd00::1]", "mn-1.example"]) {
      assert.equal(resolveConnectionSettings(config({ "zstack:host": host }), base).host, host);
    }
  });

  it("heads the error with what is wrong: incomplete, invalid, or both", () => {
    const heading = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
      try {
        resolveConnectionSettings(config(values), env);
      } catch (error) {
        return (error as Error).message.split("\n")[0];
      }
      assert.fail("the settings resolved");
    };
    const account = { "zstack:accountName": "a", "zstack:accountPassword": "p" };
    assert.equal(heading(account), "ZStack connection settings are incomplete:");
    assert.equal(
      heading({ ...account, "zstack:host": "h", "zstack:port": "abc" }),
      "ZStack connection settings are invalid:",
    );
    assert.equal(
      heading({ ...account, "zstack:port": "abc" }),
      "ZStack connection settings are incomplete and invalid:",
    );
  });

  it("names the secret settings by key: the CLI masks a secret's value wherever it appears, a plain word too", () => {
    assert.throws(
      () => resolveConnectionSettings(config({ "zstack:accountPassword": "password" }), {}),
      (error: Error) => {
        assert.match(error.message, /add --secret for zstack:accountPassword and zstack:accessKeySecret/);
        assert.doesNotMatch(error.message, /\bpasswords\b/);
        return true;
      },
    );
  });

  it("rejects a context path that holds more than the API's path", () => {
    const base = { ZSTACK_HOST: "h", ZSTACK_ACCOUNT_NAME: "a", ZSTACK_ACCOUNT_PASSWORD: "p" };
    assert.equal(
      resolveConnectionSettings(config({ "zstack:contextPath": "/api/zstack/" }), base).contextPath,
      "api/zstack",
    );
    for (const contextPath of ["https://mn/zstack", "zstack?x=1", "my zstack", "zstack#top"]) {
      assert.throws(
        () => resolveConnectionSettings(config({ "zstack:contextPath": contextPath }), base),
        (error: Error) => {
          assert.ok(
            error.message.includes(
              `contextPath ${JSON.stringify(contextPath)} is not valid, expected the URL path of the API only`,
            ),
            error.message,
          );
          return true;
        },
      );
    }
  });

  describe("checked in preview (checkSetConnectionSettings)", () => {
    it("passes when nothing is set, or only some settings: those fail the first call that needs the network", () => {
      checkSetConnectionSettings(config({}), {});
      checkSetConnectionSettings(config({ "zstack:port": "8443" }), { ZSTACK_ACCESS_KEY_ID: "k" });
    });

    it("rejects every set value that is invalid in one error, listing only those, and quotes no secret", () => {
      const values = {
        "zstack:port": "99999",
        "zstack:scheme": "ftp",
        "zstack:host": "https://mn.example",
        "zstack:contextPath": "zstack?x",
        "zstack:requestTimeoutSeconds": "0",
        "zstack:insecure": "yes",
        "zstack:caBundle": "/nonexistent/ca.pem",
        "zstack:accountPassword": "hunter2-secret",
      };
      assert.throws(
        () => checkSetConnectionSettings(config(values), {}),
        (error: Error) => {
          const lines = error.message.split("\n");
          assert.equal(lines[0], "ZStack connection settings are invalid:");
          for (const name of [
            "port",
            "scheme",
            "host",
            "contextPath",
            "requestTimeoutSeconds",
            "insecure",
            "caBundle",
          ]) {
            assert.ok(
              lines.some(
                (line) => line.startsWith(`  - ${name} "`) && line.includes("is not valid, expected"),
              ),
              `${name}: ${error.message}`,
            );
          }
          assert.equal(lines.filter((line) => line.startsWith("  - ")).length, 7, error.message);
          assert.doesNotMatch(error.message, /is not set|no credentials|hunter2-secret/);
          return true;
        },
      );
    });

    it("rejects account credentials beside an access key, at the same level", () => {
      assert.throws(
        () => checkSetConnectionSettings(config({}), { ZSTACK_ACCOUNT_NAME: "a", ZSTACK_ACCESS_KEY_ID: "k" }),
        /both account credentials and an access key are set in the environment/,
      );
    });
  });
});
