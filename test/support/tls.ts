import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A private CA and a server certificate it signed for 127.0.0.1 and localhost, made at test time. */
export interface TestCa {
  /** The CA certificate (PEM), what a client trusts through a CA bundle. */
  readonly ca: string;
  /** The CA certificate's file, for settings that take a path. */
  readonly caPath: string;
  /** The server's private key and certificate (PEM), for `startSimulator({tls})` or `https.createServer`. */
  readonly key: string;
  readonly cert: string;
  /** Removes the files. */
  dispose(): void;
}

/**
 * Makes a CA and a server certificate with the `openssl` CLI (node:crypto cannot issue X.509 certificates). The CI
 * machine has openssl (.ci/run installs it when missing), so a failure here is an error, never a skipped test.
 */
export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "zstack-test-ca-"));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  try {
    openssl(
      ...[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=pulumi-zstack-vm test CA",
      ],
      ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
      ...["-keyout", file("ca.key"), "-out", file("ca.pem")],
    );
    openssl(
      ...["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1"],
      ...["-keyout", file("server.key"), "-out", file("server.csr")],
    );
    writeFileSync(
      file("server.ext"),
      "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
    );
    openssl(
      ...["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key")],
      ...["-CAcreateserial", "-days", "1", "-extfile", file("server.ext"), "-out", file("server.pem")],
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`making a test CA with openssl failed: ${(error as Error).message}`, { cause: error });
  }
  return {
    ca: readFileSync(file("ca.pem"), "utf8"),
    caPath: file("ca.pem"),
    key: readFileSync(file("server.key"), "utf8"),
    cert: readFileSync(file("server.pem"), "utf8"),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
