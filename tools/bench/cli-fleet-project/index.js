/**
 * The fleet program: one resource per VM uuid in `vms.json` (written by the benchmark), all declaring `fleet:state`.
 * `fleet:kind` picks the implementation: `ours` (VmPauseState) or `floor` (see floor.js). Plain JavaScript, so that
 * no TypeScript compiler runs inside the measured commands.
 */
"use strict";
const pulumi = require("@pulumi/pulumi");
const { VmPauseState } = require("pulumi-zstack-vm");

const { FloorResource } = require("./floor");

const config = new pulumi.Config("fleet");
const kind = config.require("kind");
const state = config.require("state");
const jobMs = config.requireNumber("jobMs");
const vms = require("./vms.json");

vms.forEach((vmUuid, i) => {
  if (kind === "ours") new VmPauseState(`vm-${i}`, { vmUuid, state });
  else new FloorResource(`vm-${i}`, { vmUuid, state, jobMs });
});
