// The connection settings that point pulumi-zstack-vm at a simulator, in the provider's own terms (its config keys
// and environment variables), so that tests, the demo, the benchmark and the CLI's printout share one source.

import { SETTING_SOURCES, type SettingName } from "../setting-sources";

/** How a program logs in to the simulator: an account (by default the demo account) or an access key. */
export type SimulatorLogin =
  | { readonly accountName: string; readonly password: string }
  | { readonly accessKeyId: string; readonly accessKeySecret: string };

/** One connection setting for the simulator. */
export interface SimulatorSetting {
  readonly name: SettingName;
  /** The Pulumi config key, e.g. `zstack:host`. */
  readonly configKey: string;
  /** The environment variable, e.g. `ZSTACK_HOST`. */
  readonly envVar: string;
  readonly value: string;
  /** Set it as a Pulumi secret (`pulumi config set --secret`). */
  readonly secret: boolean;
}

/** The settings for an endpoint and a login, in the order a user would set them. */
export function connectionSettings(
  endpoint: {
    readonly scheme: string;
    readonly host: string;
    readonly port: number;
    readonly contextPath: string;
  },
  login: SimulatorLogin,
): SimulatorSetting[] {
  const values: [SettingName, string, boolean][] = [
    ["host", endpoint.host, false],
    ["port", String(endpoint.port), false],
    ["scheme", endpoint.scheme, false],
    ["contextPath", endpoint.contextPath, false],
    ...("accountName" in login
      ? ([
          ["accountName", login.accountName, false],
          ["accountPassword", login.password, true],
        ] as [SettingName, string, boolean][])
      : ([
          ["accessKeyId", login.accessKeyId, false],
          ["accessKeySecret", login.accessKeySecret, true],
        ] as [SettingName, string, boolean][])),
  ];
  return values.map(([name, value, secret]) => ({ name, ...SETTING_SOURCES[name], value, secret }));
}
