import assert from "node:assert/strict";

import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";

import { recordRegistrations, settled } from "../support/mocks";

const vmUuid = "0123456789abcdef0123456789abcdef";

/** Runs `construct` with a prepareStackTrace that counts the stack traces formatted with at least one frame. */
function framedTraces(construct: () => void): number {
  const original = Error.prepareStackTrace;
  let count = 0;
  Error.prepareStackTrace = (error, frames) => {
    if (frames.length > 0) count++;
    return original === undefined ? `${error}\n${frames.join("\n")}` : original(error, frames);
  };
  try {
    construct();
  } finally {
    Error.prepareStackTrace = original;
  }
  return count;
}

/**
 * The SDK records a stack trace on each of the 4 promises it makes per output property (33 or more per resource),
 * which a program run by `pulumi` formats through source-map-support; the resources construct with those suspended
 * and leave everything else about stack traces as it was.
 */
describe("resources: construction", () => {
  let resources: pulumi.CustomResource[];

  beforeEach(() => {
    recordRegistrations();
    resources = [];
  });
  afterEach(async () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    await settled(...resources);
  });

  it("formats one stack trace per resource (the SDK's source position), not one per promise", () => {
    const traces = framedTraces(() => {
      resources.push(new VmPauseState("web", { vmUuid }));
      resources.push(new VmClockTrack("clock", { vmUuid, track: "guest" }));
      resources.push(VmPauseState.get("read", vmUuid));
    });
    assert.equal(traces, 3);
  });

  it("keeps every promise's trace when PULUMI_DEBUG_PROMISE_LEAKS asks for the SDK's leak report", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    const traces = framedTraces(() => resources.push(new VmPauseState("web", { vmUuid })));
    assert.ok(traces > 4 * 33, `${traces} stack traces`);
  });

  it("leaves Error.stackTraceLimit as it was, also when the constructor throws", () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 25;
    try {
      resources.push(new VmPauseState("web", { vmUuid }));
      assert.equal(Error.stackTraceLimit, 25);
      assert.throws(
        () => new VmPauseState("child", { vmUuid }, { parent: {} as pulumi.Resource }),
        /Resource parent is not a valid Resource/,
      );
      assert.equal(Error.stackTraceLimit, 25);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });

  it("gives an error thrown while constructing the stack of the program that declared the resource", () => {
    const error = (() => {
      try {
        new VmClockTrack("child", { vmUuid, track: "guest" }, { parent: {} as pulumi.Resource });
      } catch (thrown) {
        return thrown as Error;
      }
      assert.fail("the constructor did not throw");
    })();
    const frames = error.stack!.split("\n").slice(1);
    assert.ok(frames.length > 1, error.stack);
    assert.match(frames[0]!, /construction\.spec\.ts/, "the first frame is the declaring code");
  });
});
