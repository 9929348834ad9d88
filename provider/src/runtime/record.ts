import type { WithProviderText } from "./controller";
import { definedOnly } from "./outputs";

/**
 * The outputs of an update that changes only what the resource records (`timeoutSeconds`, `onDelete`, ...): the
 * stored outputs with the new values, and no call to ZStack. Such an update must not read the VM either, because
 * what it would find (drift not yet refreshed, a Stopped VM) is not what the preview showed; the next refresh shows
 * it, and the next `up` acts on it with the change in plain sight.
 *
 * `__provider` is dropped because the host adds the new one to every update's outputs.
 */
export function recordOnly<Outputs extends object>(
  olds: Outputs & WithProviderText,
  changes: Partial<Outputs>,
): Outputs {
  const { __provider: _provider, ...stored } = olds;
  return definedOnly({ ...stored, ...changes }) as Outputs;
}
