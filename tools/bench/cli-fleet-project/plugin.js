/**
 * The native provider plugin's `VmPauseState` as the generated nodejs SDK declares it (sdk/nodejs): a CustomResource
 * of type `zstackvm:index:VmPauseState` whose every output is a property of the resource, named in
 * `plugin-outputs.json` (written by the benchmark from provider/schema.json). Plain JavaScript, as the rest of the
 * program, so that no TypeScript compiler runs in the measured commands.
 */
"use strict";
const pulumi = require("@pulumi/pulumi");

const OUTPUTS = require("./plugin-outputs.json");

class PluginPauseState extends pulumi.CustomResource {
  constructor(name, args, opts) {
    const props = Object.fromEntries(OUTPUTS.map((key) => [key, undefined]));
    super("zstackvm:index:VmPauseState", name, { ...props, ...args }, opts);
  }
}

module.exports = { PluginPauseState };
