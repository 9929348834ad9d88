import * as pulumi from "@pulumi/pulumi";

import { SETTING_SOURCES, type ConfigSource } from "../runtime";

/**
 * The stack's `zstack:*` config as the program process sees it, in the shape the runtime's settings resolution
 * reads (`get("zstack:host")`), so that lookups resolve connection settings exactly as the resources do: config
 * first, then the `ZSTACK_*` environment.
 *
 * Secret settings are read with `getSecret`, as Pulumi asks of secret config, and unwrapped here only to be handed
 * to the ZStack client, which registers them with its redactor; they are never returned, logged or put in an
 * Output. Everything is read at call time, so nothing is captured at module scope of a program.
 */
export async function programConfigSource(): Promise<ConfigSource> {
  const values = new Map<string, string>();
  await Promise.all(
    Object.values(SETTING_SOURCES).map(async (source) => {
      const at = source.configKey.indexOf(":");
      const config = new pulumi.Config(source.configKey.slice(0, at));
      const name = source.configKey.slice(at + 1);
      const value =
        "secret" in source && source.secret ? await unwrap(config.getSecret(name)) : config.get(name);
      if (value !== undefined) values.set(source.configKey, value);
    }),
  );
  return { get: (key) => values.get(key) };
}

/** The value of a known Output (config values always are known, in preview too). */
function unwrap(output: pulumi.Output<string> | undefined): Promise<string | undefined> {
  if (output === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}
