/**
 * Attributes what the provider prints (console.log / pulumi.log inside the host) to the resource whose RPC was in
 * flight, as the Pulumi CLI (3.146+) passes dynamic-provider output through to the user.
 *
 * Output of a failed RPC is dropped: for check/diff/read/delete failures the host prints the error with its stack,
 * and the harness reports the message alone. Attribution is by position in the host's output stream, after letting
 * pending pipe data arrive; the engine harness issues one RPC at a time, so marks do not interleave.
 */
import type { ProviderHost } from "../provider-host/host";

/** Wraps `host` so that each RPC's output lines are passed to `onLine` with the RPC's URN. */
export function withLogAttribution(
  host: ProviderHost,
  onLine: (urn: string, line: string) => void,
): ProviderHost {
  let mark = host.output().length;
  const settle = async <T>(urn: string, call: () => Promise<T>): Promise<T> => {
    let ok = false;
    try {
      const result = await call();
      ok = true;
      return result;
    } finally {
      // The provider wrote before the host answered, but on another pipe: give that data a turn to arrive.
      await new Promise((r) => setImmediate(r));
      const text = host.output().slice(mark);
      mark = host.output().length;
      if (ok) {
        for (const line of text.split("\n")) if (line.trim() !== "") onLine(urn, line.trimEnd());
      }
    }
  };
  return {
    port: host.port,
    pid: host.pid,
    output: () => host.output(),
    configure: (config) => host.configure(config),
    check: (urn, olds, news) => settle(urn, () => host.check(urn, olds, news)),
    diff: (id, urn, olds, oldInputs, news) => settle(urn, () => host.diff(id, urn, olds, oldInputs, news)),
    create: (urn, props) => settle(urn, () => host.create(urn, props)),
    read: (id, urn, props, inputs) => settle(urn, () => host.read(id, urn, props, inputs)),
    update: (id, urn, olds, news, oldInputs) =>
      settle(urn, () => host.update(id, urn, olds, news, oldInputs)),
    delete: (id, urn, props, oldInputs) => settle(urn, () => host.delete(id, urn, props, oldInputs)),
    close: () => host.close(),
  };
}
