/**
 * The floor: the smallest dynamic resource that does what a VmPauseState costs the engine, and nothing else. Its
 * provider sleeps the job time in create, update and delete and returns its inputs as outputs; it has no check, diff
 * or read (the host then passes inputs through, lets the engine diff, and keeps the outputs on refresh). Its
 * `__provider` is a self-contained text, as small as pulumi-zstack-vm's, so that what the floor costs is the engine:
 * the steps, the gRPC calls into the same host, the checkpoints. Registered like `pulumi.dynamic.Resource` does.
 */
"use strict";
const pulumi = require("@pulumi/pulumi");

const PROVIDER = [
  "const sleep = (inputs) => new Promise((resolve) => setTimeout(resolve, inputs.jobMs));",
  "exports.handler = () => ({",
  "  async create(inputs) { await sleep(inputs); return { id: inputs.vmUuid, outs: inputs }; },",
  "  async update(id, olds, news) { await sleep(news); return { outs: news }; },",
  "  async delete(id, props) { await sleep(props); },",
  "});",
  "",
].join("\n");

class FloorResource extends pulumi.CustomResource {
  constructor(name, args, opts) {
    super("pulumi-nodejs:dynamic/bench:Floor", name, { ...args, __provider: PROVIDER }, opts);
  }
}

module.exports = { FloorResource };
