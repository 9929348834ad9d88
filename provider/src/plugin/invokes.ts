/**
 * The package's functions, `zstackvm:index:getVmInstance` and `zstackvm:index:getVmInstances`: the VM lookups'
 * one mechanism (runtime/vm-lookups.ts), run with the provider instance's client. The schema's function inputs are
 * the lookups' arguments with their options (`timeoutSeconds`, `pageSize`) beside them, as flat inputs are what
 * every language's SDK passes.
 */
import type { ProviderRuntime } from "../runtime";
import { definedOnly } from "../runtime/outputs";
import type { GetVmInstanceArgs, GetVmInstancesArgs, LookupOptions } from "../runtime/vm-lookup-args";
import { findVmInstance, findVmInstances, type LookupConnect } from "../runtime/vm-lookups";
import { ProviderError } from "../runtime/errors";
import { token } from "./package-info";
import type { PropertyMap } from "./wire-values";

/** The lookup options an invoke's inputs may carry beside the arguments. */
const OPTION_KEYS = ["timeoutSeconds", "pageSize"] as const;

/** An invoke's inputs split into the lookup's arguments and its options. */
function split(inputs: PropertyMap): { readonly args: PropertyMap; readonly options: LookupOptions } {
  const args: PropertyMap = {};
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if ((OPTION_KEYS as readonly string[]).includes(key)) options[key] = value;
    else args[key] = value;
  }
  return { args, options: options as LookupOptions };
}

/** The functions of the package, by token: each runs on plain inputs and returns a plain result. */
const FUNCTIONS: Readonly<Record<string, (connect: LookupConnect, inputs: PropertyMap) => Promise<object>>> =
  {
    [token("getVmInstance")]: (connect, inputs) => {
      const { args, options } = split(inputs);
      return findVmInstance(connect, args as unknown as GetVmInstanceArgs, options);
    },
    [token("getVmInstances")]: (connect, inputs) => {
      const { args, options } = split(inputs);
      return findVmInstances(connect, args as unknown as GetVmInstancesArgs, options);
    },
  };

/** The tokens of every function the plugin serves. */
export const FUNCTION_TOKENS: readonly string[] = Object.keys(FUNCTIONS);

/**
 * Runs the function `tok` with `inputs` (secret markers taken off) on the runtime's client, and returns its result
 * with no `undefined` member (the wire cannot carry one). Throws the lookup's error, or one naming the functions
 * for an unknown token.
 */
export async function invoke(
  runtime: ProviderRuntime,
  tok: string,
  inputs: PropertyMap,
): Promise<PropertyMap> {
  const run = FUNCTIONS[tok];
  if (run === undefined) {
    throw new ProviderError(
      `pulumi-zstack-vm: the plugin has no function ${JSON.stringify(tok)}; its functions are ` +
        `${FUNCTION_TOKENS.join(", ")}. Check the function's name, or upgrade the plugin.`,
    );
  }
  return definedOnly((await run(() => runtime.client(), inputs)) as PropertyMap);
}
