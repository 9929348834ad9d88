/**
 * The floor: the smallest dynamic resource that does what a VmPauseState costs the engine, and nothing else (its
 * provider is floor-provider.js). Its `__provider` is one line that requires that file by absolute path, about as
 * long as pulumi-zstack-vm's, so that what the floor costs is the engine: the steps, the gRPC calls into the same
 * host, the checkpoints. Registered as `pulumi.dynamic.Resource` registers a resource.
 */
"use strict";
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");

const PROVIDER = `exports.handler = () => require(${JSON.stringify(path.join(__dirname, "floor-provider.js"))});\n`;

class FloorResource extends pulumi.CustomResource {
  constructor(name, args, opts) {
    super("pulumi-nodejs:dynamic/bench:Floor", name, { ...args, __provider: PROVIDER }, opts);
  }
}

module.exports = { FloorResource };
