/**
 * The fleet program: one resource per VM uuid in `vms.json` (written by the benchmark), all declaring `fleet:state`.
 * `fleet:kind` picks the implementation: `ours` (VmPauseState), `plugin` (the native provider's VmPauseState, see
 * plugin.js) or `floor` (see floor.js). Plain JavaScript, so that no TypeScript compiler runs inside the measured
 * commands.
 */
"use strict";
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config("fleet");
const kind = config.require("kind");
const state = config.require("state");
const jobMs = config.requireNumber("jobMs");
const vms = require("./vms.json");

// Each stack loads only its own implementation: the floor's program must not pay for loading this package.
if (kind === "ours") {
  const { VmPauseState } = require("pulumi-zstack-vm");
  vms.forEach((vmUuid, i) => new VmPauseState(`vm-${i}`, { vmUuid, state }));
} else if (kind === "plugin") {
  const { PluginPauseState } = require("./plugin");
  vms.forEach((vmUuid, i) => new PluginPauseState(`vm-${i}`, { vmUuid, state }));
} else {
  const { FloorResource } = require("./floor");
  vms.forEach((vmUuid, i) => new FloorResource(`vm-${i}`, { vmUuid, state, jobMs }));
}
