import assert from "node:assert/strict";

import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import { RESOURCE_KINDS, type ResourceKind } from "../../provider/src/vocabulary/resource-kinds";

import { startWorld, type World } from "../support/world";

const DB = DEMO_VM_UUIDS["db-1"]; // Paused

/** Every output property of a resource object (the SDK creates one per key listed in the constructor's props). */
function outputsOf(resource: pulumi.CustomResource): Record<string, pulumi.Output<unknown>> {
  const outputs: Record<string, pulumi.Output<unknown>> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (pulumi.Output.isInstance(value) && key !== "urn" && key !== "id") outputs[key] = value;
  }
  return outputs;
}

function valueOf(output: pulumi.Output<unknown>): Promise<unknown> {
  return new Promise((resolve) => output.apply(resolve));
}

/**
 * `VmPauseState.get` and `VmClockTrack.get` read an existing VM through the runtime's read with no stored outputs.
 * The mocks below hand that read to the real runtime against the simulator, so the test sees exactly the outputs a
 * `get` resolves in a program.
 */
describe("static get resolves every declared output", () => {
  let world: World;

  before(async () => {
    world = await startWorld();
    pulumi.runtime.setMocks(
      {
        newResource: async (args) => {
          const kind = args.type.split(":").pop()!;
          const read = await world.controller(kind as ResourceKind).read(args.id!, args.inputs);
          return { id: read.id!, state: read.props };
        },
        call: () => ({}),
      },
      "quickstart",
      "dev",
    );
  });

  after(async () => {
    await world.close();
  });

  for (const [kind, get] of [
    ["VmPauseState", () => VmPauseState.get("db", DB)],
    ["VmClockTrack", () => VmClockTrack.get("db-clock", DB)],
  ] as const) {
    it(`${kind}.get: no output is undefined; nothing declared is null`, async () => {
      const outputs = outputsOf(get());
      assert.ok(Object.keys(outputs).length > 30, "the resource lists its outputs");
      const values = Object.fromEntries(
        await Promise.all(Object.entries(outputs).map(async ([key, output]) => [key, await valueOf(output)])),
      );
      const missing = Object.keys(values).filter((key) => values[key] === undefined);
      assert.deepEqual(missing, [], `${kind}.get resolves these outputs to undefined`);
      assert.equal(values.vmUuid, DB);
      assert.equal(values.state, "Paused");
      assert.equal(values.pendingJob, null);
      assert.equal(values.timeoutSeconds, 600, "the timeout the read ran under");
      assert.equal(values.onDelete, "leave", "deleting a get resource leaves the VM as it is");
      if (kind === "VmPauseState") {
        assert.deepEqual([values.declaredState, values.initialState], [null, null]);
      } else {
        assert.deepEqual([values.declaredClock, values.restoreTo], [null, null]);
        assert.deepEqual(
          [values.track, values.syncAfterVMResume, values.intervalInSeconds],
          ["host", false, 0],
        );
      }
    });
  }

  it("a refresh of a get resource (its stored declared values are null) still describes the VM only", async () => {
    for (const kind of RESOURCE_KINDS) {
      const first = await world.controller(kind).read(DB, {});
      const again = await world.controller(kind).read(DB, first.props);
      assert.equal(again.inputs, undefined, kind);
      assert.deepEqual(again.props, first.props, kind);
    }
  });
});
