/**
 * The names users set to connect: each setting's Pulumi config key and the environment variable that is its fallback.
 * A leaf module, so that both the runtime (which reads the settings) and the simulator (which prints the settings
 * that point at it) can use the one table without the simulator depending on the runtime.
 */

/** One setting's two sources. */
interface SettingSource {
  readonly configKey: string;
  readonly envVar: string;
  /** Set with `pulumi config set --secret`; a program reads it with `getSecret`. */
  readonly secret?: boolean;
}

/**
 * Every connection setting with its two sources. The environment variable names are the ones
 * terraform-provider-zstack uses, so the same shell environment drives both tools.
 */
export const SETTING_SOURCES = {
  host: { configKey: "zstack:host", envVar: "ZSTACK_HOST" },
  port: { configKey: "zstack:port", envVar: "ZSTACK_PORT" },
  scheme: { configKey: "zstack:scheme", envVar: "ZSTACK_SCHEME" },
  contextPath: { configKey: "zstack:contextPath", envVar: "ZSTACK_CONTEXT_PATH" },
  accountName: { configKey: "zstack:accountName", envVar: "ZSTACK_ACCOUNT_NAME" },
  accountPassword: { configKey: "zstack:accountPassword", envVar: "ZSTACK_ACCOUNT_PASSWORD", secret: true },
  accessKeyId: { configKey: "zstack:accessKeyId", envVar: "ZSTACK_ACCESS_KEY_ID" },
  accessKeySecret: {
    configKey: "zstack:accessKeySecret",
    envVar: "ZSTACK_ACCESS_KEY_SECRET",
    secret: true,
  },
  caBundle: { configKey: "zstack:caBundle", envVar: "ZSTACK_CA_BUNDLE" },
  insecure: { configKey: "zstack:insecure", envVar: "ZSTACK_INSECURE" },
  requestTimeoutSeconds: {
    configKey: "zstack:requestTimeoutSeconds",
    envVar: "ZSTACK_REQUEST_TIMEOUT_SECONDS",
  },
} as const satisfies Record<string, SettingSource>;

/** The name of one connection setting. */
export type SettingName = keyof typeof SETTING_SOURCES;
