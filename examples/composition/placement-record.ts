/**
 * A second dynamic provider, beside pulumi-zstack-vm's: a file recording where the database runs (its VM, host and
 * address), for whatever reads it outside Pulumi (an inventory, a monitoring agent's config, a runbook). It stands for
 * "another provider's resource" fed by the VM resources' outputs, and it is real: `pulumi up` writes the file, an
 * update rewrites it when db-1's host or IP changes, `pulumi destroy` removes it. Nothing here is downloaded.
 */
import * as pulumi from "@pulumi/pulumi";

/** The inputs of a {@link PlacementRecord}. */
export interface PlacementRecordArgs {
  /** Where to write the record: an absolute path (the program resolves it against the project directory). */
  readonly file: pulumi.Input<string>;
  /** The VM's uuid. */
  readonly vmUuid: pulumi.Input<string>;
  /** The host it runs on (`none` when it runs on none). */
  readonly hostUuid: pulumi.Input<string>;
  /** The IP address of its first NIC (`none` when it has none). */
  readonly ip: pulumi.Input<string>;
}

/** What the record holds, as the provider sees its inputs and outputs. */
interface RecordProps {
  readonly file: string;
  readonly vmUuid: string;
  readonly hostUuid: string;
  readonly ip: string;
  /** 1 on create, one more on every rewrite: how often the database moved while the record existed. */
  readonly revision: number;
  /** One line for people: `<vmUuid> on host <hostUuid> at <ip>`. */
  readonly placement: string;
}

/**
 * The provider is serialized into the checkpoint and run by the `pulumi-nodejs` dynamic-provider host, so it refers
 * to nothing of this module at run time: the modules it needs are `require`d inside its methods.
 */
const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Omit<RecordProps, "revision" | "placement">) {
    const outs = {
      ...inputs,
      revision: 1,
      placement: `${inputs.vmUuid} on host ${inputs.hostUuid} at ${inputs.ip}`,
    };
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    fs.mkdirSync(path.dirname(outs.file), { recursive: true });
    // The inputs also carry the serialized provider (`__provider`): the file gets the record's fields only.
    const { vmUuid, hostUuid, ip, revision, placement } = outs;
    fs.writeFileSync(
      outs.file,
      `${JSON.stringify({ vmUuid, hostUuid, ip, revision, placement }, null, 2)}\n`,
    );
    return { id: outs.file, outs };
  },
  async diff(_id: string, olds: RecordProps, news: Omit<RecordProps, "revision" | "placement">) {
    // A move (host or IP) or another VM rewrites the record in place; another file is another record: replaced, the
    // new file written before the old one is removed.
    const changed = (["file", "vmUuid", "hostUuid", "ip"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: changed.length > 0, replaces: changed.includes("file") ? ["file"] : [] };
  },
  async update(_id: string, olds: RecordProps, news: Omit<RecordProps, "revision" | "placement">) {
    const outs = {
      ...news,
      revision: olds.revision + 1,
      placement: `${news.vmUuid} on host ${news.hostUuid} at ${news.ip}`,
    };
    const fs = require("node:fs") as typeof import("node:fs");
    const { vmUuid, hostUuid, ip, revision, placement } = outs;
    fs.writeFileSync(
      outs.file,
      `${JSON.stringify({ vmUuid, hostUuid, ip, revision, placement }, null, 2)}\n`,
    );
    return { outs };
  },
  async delete(_id: string, props: RecordProps) {
    const fs = require("node:fs") as typeof import("node:fs");
    fs.rmSync(props.file, { force: true });
  },
};

/** A file recording the database's placement, rewritten whenever the VM moves (see the module comment). */
export class PlacementRecord extends pulumi.dynamic.Resource {
  /** The record's file. */
  declare readonly file: pulumi.Output<string>;
  /** 1 on create, one more on every rewrite. */
  declare readonly revision: pulumi.Output<number>;
  /** `<vmUuid> on host <hostUuid> at <ip>`. */
  declare readonly placement: pulumi.Output<string>;

  constructor(name: string, args: PlacementRecordArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, revision: undefined, placement: undefined },
      opts,
      "zstack-examples",
      "PlacementRecord",
    );
  }
}
