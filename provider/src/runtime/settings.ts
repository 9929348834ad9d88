import { readFileSync } from "node:fs";

import type { ConnectionSettings, Credentials } from "../zstack";
import { SETTING_SOURCES, type SettingName } from "../setting-sources";
import { DEFAULT_CONTEXT_PATH, DEFAULT_PORT, DEFAULT_SCHEME } from "../vocabulary/connection-defaults";
import { CONFIG_ADVICE, settingsError, type SettingProblem } from "./errors";

/**
 * The subset of the dynamic-provider host's `Config` the runtime reads: `get` returns the stack config value of a
 * fully qualified key such as `zstack:host`, already unwrapped when it was a secret.
 */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/**
 * How a face's messages name where each setting is set: the dynamic resources' stack config keys
 * ({@link CONFIG_WORDING}), or the native provider's inputs. The values, what is allowed and the environment
 * variables are the same for every face.
 */
export interface SettingsWording {
  /** Where to set a setting, as advice ends: "config `zstack:host` or env ZSTACK_HOST". */
  readonly describe: (name: SettingName) => string;
  /** The same inside a sentence: "`zstack:host` (or env ZSTACK_HOST)". */
  readonly where: (name: SettingName) => string;
  /** What the settings that are not the environment's are, as in "both ... are set in Pulumi config". */
  readonly configured: string;
  /** The closing line of the error: how to set the settings. */
  readonly advice: string;
}

/** Where a setting's value came from; config wins over the environment. */
interface Lookup {
  readonly value: string | undefined;
  readonly from: "config" | "env" | undefined;
}

function lookup(name: SettingName, config: ConfigSource | undefined, env: NodeJS.ProcessEnv): Lookup {
  const source = SETTING_SOURCES[name];
  const fromConfig = nonEmpty(config?.get(source.configKey));
  if (fromConfig !== undefined) return { value: fromConfig, from: "config" };
  const fromEnv = nonEmpty(env[source.envVar]);
  if (fromEnv !== undefined) return { value: fromEnv, from: "env" };
  return { value: undefined, from: undefined };
}

/** A blank value counts as unset, so `ZSTACK_HOST=` does not mask the config or the default. */
function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value : undefined;
}

/** The settings read from config and the environment, or every problem found on the way. */
type Inspection =
  | { readonly settings: ConnectionSettings; readonly problems: readonly [] }
  | { readonly settings: undefined; readonly problems: readonly SettingProblem[] };

/**
 * Resolves the ZStack connection settings at call time: Pulumi config received by `configure` first, then the
 * `ZSTACK_*` environment variables. Throws one error that lists every missing or invalid setting and both ways
 * to set each. Values of secret settings never appear in an error.
 */
export function resolveConnectionSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
  wording: SettingsWording = CONFIG_WORDING,
): ConnectionSettings {
  const inspection = inspect(config, env, wording);
  if (inspection.settings === undefined) throw settingsError(inspection.problems, wording.advice);
  return inspection.settings;
}

/**
 * Checks, without the network, the connection settings that are set: throws the error of
 * {@link resolveConnectionSettings}, listing only the invalid values, when any is. Settings that are not set pass,
 * so a preview runs where no settings are available (a pull request from a fork has no secrets); the first call
 * that needs the network reports them.
 */
export function checkSetConnectionSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
  wording: SettingsWording = CONFIG_WORDING,
): void {
  const invalid = inspect(config, env, wording).problems.filter((problem) => problem.kind === "invalid");
  if (invalid.length > 0) throw settingsError(invalid, wording.advice);
}

/**
 * Every problem of the connection settings read from `config` and the environment, without the network: what
 * {@link resolveConnectionSettings} would list, for a caller that adds problems of its own before raising the one
 * error (`settingsError`) that lists them all. Empty when the settings resolve.
 */
export function connectionSettingsProblems(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
  wording: SettingsWording = CONFIG_WORDING,
): readonly SettingProblem[] {
  return inspect(config, env, wording).problems;
}

function inspect(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
  wording: SettingsWording,
): Inspection {
  const problems: SettingProblem[] = [];
  const get = (name: SettingName) => lookup(name, config, env);

  const host = get("host").value;
  if (host === undefined)
    problems.push(missing(wording, "host", "the management node's host name or IP address"));
  else {
    const wrong = hostProblem(host.trim(), wording);
    if (wrong !== undefined)
      problems.push(invalid(wording, "host", host, `expected a host name or IP address only; ${wrong}`));
  }

  const scheme = get("scheme").value ?? DEFAULT_SCHEME;
  if (scheme !== "http" && scheme !== "https") {
    problems.push(invalid(wording, "scheme", scheme, 'expected "http" or "https"'));
  }

  const portText = get("port").value;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(invalid(wording, "port", portText ?? "", "expected a whole number from 1 to 65535"));
  }

  const contextPathText = get("contextPath").value;
  const contextPath = (contextPathText ?? DEFAULT_CONTEXT_PATH).replace(/^\/+|\/+$/g, "");
  // The path goes into every request's URL as is: a scheme, host, query or space there makes requests that fail late.
  if (contextPathText !== undefined && !/^[\w.~!$&'()*+,;=@%/-]*$/.test(contextPath)) {
    problems.push(
      invalid(
        wording,
        "contextPath",
        contextPathText,
        'expected the URL path of the API only, such as "zstack"',
      ),
    );
  }

  const insecureText = get("insecure").value;
  const insecure = insecureText === undefined ? false : parseBoolean(insecureText);
  if (insecure === undefined)
    problems.push(invalid(wording, "insecure", insecureText ?? "", 'expected "true" or "false"'));

  const caBundle = readCaBundle(get("caBundle").value, problems, wording);

  // One HTTP request may take this long before it counts as lost (and is retried where that is safe); every wait
  // is also bounded by the resource's timeoutSeconds.
  const requestTimeoutText = get("requestTimeoutSeconds").value;
  const requestTimeoutSeconds = requestTimeoutText === undefined ? undefined : Number(requestTimeoutText);
  if (
    requestTimeoutSeconds !== undefined &&
    (!Number.isInteger(requestTimeoutSeconds) || requestTimeoutSeconds < 1 || requestTimeoutSeconds > 3600)
  ) {
    problems.push(
      invalid(
        wording,
        "requestTimeoutSeconds",
        requestTimeoutText ?? "",
        "expected a whole number from 1 to 3600",
      ),
    );
  }
  const credentials = resolveCredentials(config, env, problems, wording);

  if (problems.length > 0 || host === undefined || credentials === undefined) {
    return { settings: undefined, problems };
  }
  const settings: ConnectionSettings = {
    scheme: scheme as "http" | "https",
    host,
    port,
    contextPath,
    credentials,
    tls: { caBundle, insecure: insecure === true },
    ...(requestTimeoutSeconds !== undefined ? { requestTimeoutMs: requestTimeoutSeconds * 1000 } : {}),
  };
  return { settings, problems: [] };
}

/**
 * Credentials come as a group from one level: config credentials, when any are set, override environment ones, so
 * a leftover `ZSTACK_ACCOUNT_NAME` cannot pair with a configured password. Within a level, setting both an account
 * and an access key is ambiguous and rejected rather than silently preferring one (terraform-provider-zstack's
 * behaviour, which surprises users).
 */
function resolveCredentials(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
  problems: SettingProblem[],
  wording: SettingsWording,
): Credentials | undefined {
  const names = ["accountName", "accountPassword", "accessKeyId", "accessKeySecret"] as const;
  const fromConfig = names.some(
    (name) => nonEmpty(config?.get(SETTING_SOURCES[name].configKey)) !== undefined,
  );
  const read = (name: (typeof names)[number]) =>
    fromConfig
      ? nonEmpty(config?.get(SETTING_SOURCES[name].configKey))
      : nonEmpty(env[SETTING_SOURCES[name].envVar]);
  const level = fromConfig ? wording.configured : "the environment";

  const accountName = read("accountName");
  const password = read("accountPassword");
  const accessKeyId = read("accessKeyId");
  const accessKeySecret = read("accessKeySecret");
  const hasAccount = accountName !== undefined || password !== undefined;
  const hasAccessKey = accessKeyId !== undefined || accessKeySecret !== undefined;

  if (hasAccount && hasAccessKey) {
    problems.push({
      kind: "invalid",
      text:
        `both account credentials and an access key are set in ${level}; set only one way to authenticate ` +
        `(${wording.describe("accountName")} and ${wording.describe("accountPassword")}, or ` +
        `${wording.describe("accessKeyId")} and ${wording.describe("accessKeySecret")})`,
    });
    return undefined;
  }
  if (hasAccessKey) {
    if (accessKeyId === undefined)
      problems.push(missing(wording, "accessKeyId", "the access key id that goes with the secret"));
    if (accessKeySecret === undefined) {
      problems.push(
        missing(
          wording,
          "accessKeySecret",
          "the access key secret that goes with the id (set it as a secret)",
        ),
      );
    }
    return accessKeyId && accessKeySecret ? { kind: "accessKey", accessKeyId, accessKeySecret } : undefined;
  }
  if (hasAccount) {
    if (accountName === undefined)
      problems.push(missing(wording, "accountName", "the account that goes with the password"));
    if (password === undefined) {
      problems.push(
        missing(wording, "accountPassword", "the password that goes with the account (set it as a secret)"),
      );
    }
    return accountName && password ? { kind: "account", accountName, password } : undefined;
  }
  problems.push({
    kind: "missing",
    text:
      `no credentials: set an account (${wording.describe("accountName")} and ${wording.describe("accountPassword")}) ` +
      `or an access key (${wording.describe("accessKeyId")} and ${wording.describe("accessKeySecret")})`,
  });
  return undefined;
}

/** `zstack:caBundle` holds PEM text or the path of a PEM file; a path is read now so a typo fails clearly. */
function readCaBundle(
  value: string | undefined,
  problems: SettingProblem[],
  wording: SettingsWording,
): string | undefined {
  if (value === undefined) return undefined;
  if (value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch (error) {
    problems.push(
      invalid(
        wording,
        "caBundle",
        value,
        `expected PEM text or the path of a readable PEM file (${(error as Error).message})`,
      ),
    );
    return undefined;
  }
}

/**
 * What is wrong with a `host` value that holds more than a host name or IP address, phrased as the fix: users
 * paste URLs and `host:port` pairs, which would otherwise fail deep in URL parsing with a bare "Invalid URL".
 */
function hostProblem(host: string, wording: SettingsWording): string | undefined {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(host);
  if (url !== null) {
    const [, scheme, authority, path] = url as unknown as [string, string, string, string];
    const { name, port } = splitPort(authority);
    return (
      `put the scheme in ${wording.where("scheme")} (${scheme.toLowerCase()}), the host name in ${wording.where("host")} (${name})` +
      (port !== undefined ? `, the port in ${wording.where("port")} (${port})` : "") +
      (path.replace(/\/+$/, "") !== ""
        ? ` and the path in ${wording.where("contextPath")} (${path.replace(/^\/+|\/+$/g, "")})`
        : "")
    );
  }
  if (/[/?#]/.test(host))
    return `put the path in ${wording.where("contextPath")} and only the host name in ${wording.where("host")}`;
  if (/[\s@]/.test(host)) return "remove the spaces and any user name";
  const { name, port } = splitPort(host);
  if (port !== undefined) return `put the port in ${wording.where("port")}: host ${name}, port ${port}`;
  return undefined;
}

/** Splits `name:port` and `[v6]:port`; an unbracketed IPv6 literal (several colons) has no port. */
function splitPort(authority: string): { readonly name: string; readonly port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(authority);
  if (bracketed !== null) {
    return bracketed[2] !== undefined ? { name: bracketed[1]!, port: bracketed[2] } : { name: bracketed[1]! };
  }
  const pair = /^([^:]+):(\d*)$/.exec(authority);
  return pair !== null ? { name: pair[1]!, port: pair[2]! } : { name: authority };
}

/** A setting's config key with its environment variable, as messages name them. */
function where(name: SettingName): string {
  return `\`${SETTING_SOURCES[name].configKey}\` (or env ${SETTING_SOURCES[name].envVar})`;
}

function parseBoolean(text: string): boolean | undefined {
  const lowered = text.toLowerCase();
  if (lowered === "true" || lowered === "1") return true;
  if (lowered === "false" || lowered === "0") return false;
  return undefined;
}

function describe(name: SettingName): string {
  const source = SETTING_SOURCES[name];
  return `config \`${source.configKey}\` or env ${source.envVar}`;
}

function missing(wording: SettingsWording, name: SettingName, what: string): SettingProblem {
  return { kind: "missing", text: `${name} is not set (${what}): set ${wording.describe(name)}` };
}

/** An invalid value, quoted: only non-secret settings are checked for their form, so none is a secret. */
function invalid(
  wording: SettingsWording,
  name: SettingName,
  value: string,
  expected: string,
): SettingProblem {
  return {
    kind: "invalid",
    text: `${name} ${JSON.stringify(value)} is not valid, ${expected}: fix ${wording.describe(name)}`,
  };
}

/** The wording of the dynamic resources and the lookups, whose settings are the stack's `zstack:*` config. */
export const CONFIG_WORDING: SettingsWording = {
  describe,
  where,
  configured: "Pulumi config",
  advice: CONFIG_ADVICE,
};
