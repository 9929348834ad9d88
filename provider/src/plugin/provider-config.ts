/**
 * The provider instance's own inputs, the connection settings, as CheckConfig checks them and the runtime resolves
 * them: the same rules and the same one error that lists every problem as the dynamic resources' `zstack:*`
 * config (runtime/settings.ts), worded for the provider's inputs, then the `ZSTACK_*` environment for what is unset.
 */
import { ProviderError, settingsError, type SettingProblem } from "../runtime/errors";
import {
  checkSetConnectionSettings,
  connectionSettingsProblems,
  resolveConnectionSettings,
  type ConfigSource,
  type SettingsWording,
} from "../runtime/settings";
import { SETTING_SOURCES, type SettingName } from "../setting-sources";
import type { ConnectionSettings } from "../zstack";
import { PACKAGE_NAME } from "./package-info";
import { ENGINE_PROVIDER_INPUTS, isSettingName, SECRET_SETTINGS, SETTING_NAMES } from "./provider-inputs";
import { containsUnknown, type PropertyMap } from "./wire-values";

const env = (name: SettingName) => SETTING_SOURCES[name].envVar;

/** How the plugin's messages name a setting: an input of the provider, the default provider's stack config. */
export const INPUT_WORDING: SettingsWording = {
  describe: (name) =>
    `the provider input \`${name}\` (stack config \`${PACKAGE_NAME}:${name}\` for the default provider) or env ` +
    env(name),
  where: (name) => `\`${name}\` (or env ${env(name)})`,
  configured: "the provider's inputs",
  advice:
    `Set them as the provider's inputs (for the default provider, \`pulumi config set ${PACKAGE_NAME}:<key> ` +
    `<value>\`; add --secret for ${SECRET_SETTINGS.map((name) => `${PACKAGE_NAME}:${name}`).join(" and ")}) ` +
    "or with the ZSTACK_* environment variables; inputs win over the environment.",
};

/** The text a setting's input stands for, as the settings rules read it (stack config is text too). */
function asText(value: unknown): string | undefined {
  if (value === undefined || value === null || containsUnknown(value)) return undefined;
  return typeof value === "string"
    ? value
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);
}

/**
 * One provider instance's settings, from its inputs (secret markers already taken off). Settings still unknown in
 * a preview (an input from another resource's output) count as unset here and are checked when they are known.
 */
export class ProviderConfig {
  /** The settings source the runtime's rules read: `zstack:<name>` keys answered from the inputs. */
  readonly source: ConfigSource;
  private readonly inputs: PropertyMap;

  constructor(inputs: PropertyMap) {
    this.inputs = inputs;
    const byKey = new Map<string, unknown>(
      SETTING_NAMES.map((name) => [SETTING_SOURCES[name].configKey, inputs[name]]),
    );
    this.source = { get: (key) => asText(byKey.get(key)) };
  }

  /** The settings whose input is still unknown (a preview with an input from another resource). */
  get unknown(): readonly SettingName[] {
    return SETTING_NAMES.filter((name) => containsUnknown(this.inputs[name]));
  }

  /**
   * Every problem of the inputs, without the network, for CheckConfig: inputs that are no setting (a typo), and the
   * settings' own problems, missing ones included once the environment is consulted. While a setting is unknown,
   * only the values that are set are judged (what is missing may be what is unknown).
   */
  problems(environment: NodeJS.ProcessEnv = process.env): readonly SettingProblem[] {
    const strangers: SettingProblem[] = Object.keys(this.inputs)
      .filter((name) => !isSettingName(name) && !ENGINE_PROVIDER_INPUTS.includes(name))
      .map((name) => ({
        kind: "invalid",
        text: `${name} is not a setting of the provider; the settings are ${SETTING_NAMES.join(", ")}`,
      }));
    const own = connectionSettingsProblems(this.source, environment, INPUT_WORDING);
    return [...strangers, ...(this.unknown.length > 0 ? own.filter((p) => p.kind === "invalid") : own)];
  }

  /** The one message that lists every problem of {@link problems}, or undefined when there is none. */
  report(environment: NodeJS.ProcessEnv = process.env): string | undefined {
    const problems = this.problems(environment);
    return problems.length > 0 ? settingsError(problems, INPUT_WORDING.advice).message : undefined;
  }

  /** Throws when a setting that is set is invalid: what the runtime's check runs before every resource check. */
  checkSet(environment: NodeJS.ProcessEnv = process.env): void {
    checkSetConnectionSettings(this.source, environment, INPUT_WORDING);
  }

  /**
   * The connection settings, resolved when the runtime first needs the network; throws the settings error, or, in a
   * preview where a setting is not known yet, an error that says the preview cannot reach ZStack.
   */
  resolve(environment: NodeJS.ProcessEnv = process.env): ConnectionSettings {
    const unknown = this.unknown;
    if (unknown.length > 0) {
      const one = unknown.length === 1;
      throw new ProviderError(
        `The provider's ${unknown.join(", ")} ${one ? "is" : "are"} not known in this preview (${one ? "it comes" : "they come"} ` +
          "from other resources' outputs), so the preview cannot ask ZStack. Run `pulumi up`, or give the " +
          "provider values known before the deployment.",
      );
    }
    return resolveConnectionSettings(this.source, environment, INPUT_WORDING);
  }
}
