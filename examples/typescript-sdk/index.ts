/**
 * The two-endpoint stack on the generated nodejs SDK of pulumi-zstack-vm's native provider (see README.md): the same
 * program as examples/go-two-endpoints, resource for resource.
 *
 * - Endpoint A, the default provider, configured by the stack's `zstackvm:*` config: `west-web` keeps the VM
 *   `webVmUuid` Paused; once `pulumi import` has adopted it and `declareImported` is true, `west-db` declares the VM
 *   `adoptVmUuid` Paused as it was found.
 * - Endpoint B, the explicit provider `east`, configured from the stack's `east:*` config (the password a secret):
 *   `east-web` keeps the VM `webVmUuid` of that endpoint Paused, `east-clock` sets the VM `clockVmUuid`'s clock
 *   track to guest with a sync every 60 s, and `east-db-clock` adopts the VM `adoptVmUuid`'s clock as it is (the
 *   `import` resource option: no action).
 *
 * The uuids default to the simulator's demo VMs, so the stack runs as is against two `npm run simulator`s.
 */
import * as pulumi from "@pulumi/pulumi";
import * as zstackvm from "pulumi-zstackvm";

const config = new pulumi.Config();
const webVm = config.get("webVmUuid") ?? "aaaa0000000000000000000000000001";
const clockVm = config.get("clockVmUuid") ?? "aaaa0000000000000000000000000002";
const adoptVm = config.get("adoptVmUuid") ?? "aaaa0000000000000000000000000003";

// Endpoint A: no provider option, so the default provider, which the engine configures from `zstackvm:*`.
const westWeb = new zstackvm.VmPauseState("west-web", { vmUuid: webVm, state: "Paused" });
if (config.getBoolean("declareImported")) {
  // The values `pulumi import` read: the program then previews with no changes.
  new zstackvm.VmPauseState("west-db", { vmUuid: adoptVm, state: "Paused" });
}

// Endpoint B: a provider instance of its own (its own process, session and pool).
const eastConfig = new pulumi.Config("east");
const east = new zstackvm.Provider("east", {
  host: eastConfig.require("host"),
  port: eastConfig.requireNumber("port"),
  scheme: eastConfig.get("scheme") ?? "http",
  contextPath: eastConfig.get("contextPath") ?? "zstack",
  accountName: eastConfig.require("accountName"),
  accountPassword: eastConfig.requireSecret("accountPassword"),
});
const eastWeb = new zstackvm.VmPauseState("east-web", { vmUuid: webVm, state: "Paused" }, { provider: east });
const eastClock = new zstackvm.VmClockTrack(
  "east-clock",
  { vmUuid: clockVm, track: "guest", intervalInSeconds: 60 },
  { provider: east },
);
// Adopted as found: the declared track must be the VM's current one, or the engine refuses the import.
new zstackvm.VmClockTrack(
  "east-db-clock",
  { vmUuid: adoptVm, track: "host" },
  { provider: east, import: adoptVm },
);

/** web-1's state on endpoint A as last read: "Paused" after `up`, "Running" after a refresh that found it resumed. */
export const westWebState = westWeb.state;
/** The same VM uuid's state on endpoint B. */
export const eastWebState = eastWeb.state;
/** The clock track read back from the VM on endpoint B. */
export const eastClockTrack = eastClock.track;
