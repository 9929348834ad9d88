/**
 * Example: pause every Running VM of one cluster during a maintenance window, with the VMs found by lookup.
 *
 * - `vm-lookup:clusterOf`: the name of a VM of the cluster (default `web-1`, a demo VM of the simulator);
 * - `vm-lookup:clusterUuid`: the cluster's uuid instead;
 * - `vm-lookup:nameRegex`: only VMs whose name matches (a JavaScript regular expression);
 * - `vm-lookup:active`: `true` (default) opens the window; `false` closes it and gives every VM back as found;
 * - `vm-lookup:limit`: the most VMs the window may pause (default 50).
 *
 * The connection comes from the `zstack:*` config, as in the quickstart. The program is an async function (Pulumi
 * awaits it and exports what it returns) because the lookups must finish before the resources can be declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { clusterMaintenance } from "./cluster-maintenance";

export = async () => {
  const config = new pulumi.Config("vm-lookup");
  const clusterUuid = config.get("clusterUuid");
  const nameRegex = config.get("nameRegex");
  const active = config.getBoolean("active") ?? true;
  const window = await clusterMaintenance({
    ...(clusterUuid !== undefined ? { clusterUuid } : { clusterOf: config.get("clusterOf") ?? "web-1" }),
    ...(nameRegex !== undefined ? { nameRegex } : {}),
    active,
    limit: config.getNumber("limit", { min: 1 }) ?? 50,
  });
  const vms = pulumi.all(
    window.pauses.map((pause) => pulumi.all({ uuid: pause.vmUuid, name: pause.name, state: pause.state })),
  );
  return {
    /** The cluster the window is about. */
    cluster: window.clusterUuid,
    /** Whether the window is open. */
    active,
    /** Each VM in the window, with its actual state after the last `up` or refresh. */
    vms,
    /** One line for people. */
    summary: vms.apply((list) =>
      active
        ? `maintenance window open on cluster ${window.clusterUuid}: ` +
          (list.map((vm) => `${vm.name} (${vm.state})`).join(", ") || "no VM to pause")
        : `maintenance window closed on cluster ${window.clusterUuid}`,
    ),
  };
};
