/**
 * The provider's own inputs: the connection settings, with the names the dynamic resources' `zstack:*` config uses,
 * their schema types and what each means. The schema declares them from this table, and CheckConfig and Configure
 * read them by it.
 */
import { SETTING_SOURCES, type SettingName } from "../setting-sources";

/** The schema type of one setting as a provider input. */
export type SettingType = "string" | "integer" | "boolean";

/** One provider input: its schema type, whether it is secret, and its description (the reference docs' text). */
export interface ProviderInput {
  readonly type: SettingType;
  readonly secret: boolean;
  readonly description: string;
}

const TYPES: Readonly<Record<SettingName, SettingType>> = {
  host: "string",
  port: "integer",
  scheme: "string",
  contextPath: "string",
  accountName: "string",
  accountPassword: "string",
  accessKeyId: "string",
  accessKeySecret: "string",
  caBundle: "string",
  insecure: "boolean",
  requestTimeoutSeconds: "integer",
};

const DESCRIPTIONS: Readonly<Record<SettingName, string>> = {
  host: "The ZStack management node's host name or IP address, without scheme, port or path. Required.",
  port: "The port of the management node's API. Default: 8080.",
  scheme: 'How to reach the API: "http" or "https". Default: "http".',
  contextPath: 'The URL path of the API on the management node, such as "zstack". Default: "zstack".',
  accountName:
    "The ZStack account to log in as, with accountPassword; set either an account or an access key, not both.",
  accountPassword: "The password of accountName. A secret: stored encrypted, never logged.",
  accessKeyId: "The id of a ZStack access key, with accessKeySecret; an access key opens no session.",
  accessKeySecret: "The secret of accessKeyId. A secret: stored encrypted, never logged.",
  caBundle:
    "The CA certificates (PEM text, or the path of a PEM file) that sign the management node's HTTPS certificate. " +
    "Default: the system trust store.",
  insecure:
    "Skips the verification of the management node's HTTPS certificate (testing only). Default: false.",
  requestTimeoutSeconds:
    "How long one HTTP request may take, in seconds (1 to 3600); a resource's timeoutSeconds bounds the whole " +
    "operation. Default: 30.",
};

/** Every provider input, in the order of the settings table. */
export const PROVIDER_INPUTS: Readonly<Record<SettingName, ProviderInput>> = Object.fromEntries(
  (Object.keys(SETTING_SOURCES) as SettingName[]).map((name) => {
    const secret = "secret" in SETTING_SOURCES[name] && SETTING_SOURCES[name].secret;
    return [name, { type: TYPES[name], secret, description: DESCRIPTIONS[name] }];
  }),
) as Record<SettingName, ProviderInput>;

/** The names of every provider input. */
export const SETTING_NAMES = Object.keys(SETTING_SOURCES) as readonly SettingName[];

/** The names of the secret provider inputs. */
export const SECRET_SETTINGS: readonly SettingName[] = SETTING_NAMES.filter(
  (name) => PROVIDER_INPUTS[name].secret,
);

/**
 * Inputs that the engine and the SDKs add to a provider resource of any package, beside its own: the plugin version
 * the program asked for (the Go and nodejs SDKs send their package's version, and the engine sets it on default
 * providers, `pulumi import` included) and where to download the plugin. Not settings, and not typos.
 */
export const ENGINE_PROVIDER_INPUTS: readonly string[] = ["version", "pluginDownloadURL"];

/** Whether a provider input's name is a connection setting. */
export function isSettingName(name: string): name is SettingName {
  return (SETTING_NAMES as readonly string[]).includes(name);
}
