import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";

import { providerText, recordRegistrations, settled } from "../support/mocks";

const requireFromString: (code: string) => {
  handler(): Record<string, (...args: unknown[]) => Promise<unknown>>;
} = require(
  require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }),
);

const GOLDEN = path.join(__dirname, "golden");
const VM_A = "0123456789abcdef0123456789abcdef";
const VM_B = "fedcba9876543210fedcba9876543210";

/** Values that must never be frozen into `__provider`: settings, secrets, environment. */
const MARKERS = {
  ZSTACK_HOST: "marker-host.invalid",
  ZSTACK_ACCOUNT_NAME: "marker-account",
  ZSTACK_ACCOUNT_PASSWORD: "marker-password-7f3a",
  ZSTACK_ACCESS_KEY_SECRET: "marker-aksecret-91c2",
};

describe("serialized provider (__provider)", () => {
  let texts: Record<string, string[]>;

  before(async () => {
    // Set only while the resources are made and serialized: the markers are no valid settings (an account and an
    // access key secret at once), which a check that delegates to the runtime would rightly refuse.
    Object.assign(process.env, MARKERS);
    const seen = recordRegistrations();
    try {
      const resources = [
        new VmPauseState("a", { vmUuid: VM_A }),
        new VmPauseState("b", { vmUuid: VM_B, state: "Running", timeoutSeconds: 60 }),
        new VmClockTrack("c", { vmUuid: VM_A, track: "guest" }),
        new VmClockTrack("d", { vmUuid: VM_B, track: "host", intervalInSeconds: 600 }),
      ];
      await settled(...resources);
    } finally {
      for (const key of Object.keys(MARKERS)) delete process.env[key];
    }
    texts = {};
    for (const registration of seen) {
      (texts[registration.type] ??= []).push(providerText(registration.inputs));
    }
  });

  it("uses the type tokens pulumi-nodejs:dynamic/zstack:<Kind>", () => {
    assert.deepEqual(Object.keys(texts).sort(), [
      "pulumi-nodejs:dynamic/zstack:VmClockTrack",
      "pulumi-nodejs:dynamic/zstack:VmPauseState",
    ]);
  });

  it("is one short line, identical for every resource of a kind", () => {
    // It is stored twice per resource and rewritten with every checkpoint: every byte counts N times.
    for (const [type, list] of Object.entries(texts)) {
      assert.equal(new Set(list).size, 1, `${type} has ${new Set(list).size} distinct texts`);
      assert.ok(list[0]!.length < 128, `${type}: ${list[0]!.length} bytes`);
    }
  });

  it("matches the golden text byte for byte, so package upgrades cause no ~__provider diff", () => {
    // The text is a protocol: if this fails, the shim changed and every stack would show a diff on upgrade.
    for (const [type, list] of Object.entries(texts)) {
      const kind = type.split(":").pop()!;
      assert.equal(list[0], readFileSync(path.join(GOLDEN, `${kind}.provider.js`), "utf8"), kind);
    }
  });

  it("of 0.1.0 (the serialized shims, still in old states) still loads and delegates to the installed runtime", async () => {
    for (const kind of ["VmPauseState", "VmClockTrack"]) {
      const legacy = readFileSync(path.join(GOLDEN, "v0.1.0", `${kind}.provider.js`), "utf8");
      const provider = requireFromString(legacy).handler();
      assert.deepEqual(Object.keys(provider).sort(), [
        "check",
        "configure",
        "create",
        "delete",
        "diff",
        "kind",
        "read",
        "update",
      ]);
      const result = (await provider.check!({}, { vmUuid: VM_A, track: "guest" })) as { inputs?: unknown };
      assert.ok(result.inputs, `${kind}: check delegated to the runtime`);
    }
  });

  it("requires only the installed runtime, by package name", () => {
    for (const list of Object.values(texts)) {
      const requires = [...list[0]!.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
      assert.deepEqual([...new Set(requires)], ["pulumi-zstack-vm/runtime"]);
    }
  });

  it("holds no setting, secret, host name or environment value", () => {
    for (const list of Object.values(texts)) {
      for (const marker of Object.values(MARKERS)) assert.ok(!list[0]!.includes(marker), marker);
      assert.doesNotMatch(list[0]!, /process\.env|ZSTACK_/);
    }
  });

  it("deserializes like the host does and delegates to the installed runtime", async () => {
    const provider = requireFromString(texts["pulumi-nodejs:dynamic/zstack:VmPauseState"]![0]!).handler();
    const result = (await provider.check!({}, { vmUuid: VM_A, state: "Running" })) as { inputs: unknown };
    assert.deepEqual(result.inputs, {
      vmUuid: VM_A,
      state: "Running",
      timeoutSeconds: 600,
      onDelete: "restore",
    });
    const clock = requireFromString(texts["pulumi-nodejs:dynamic/zstack:VmClockTrack"]![0]!).handler();
    const failures = (await clock.check!({}, { vmUuid: VM_A, track: "Guest" })) as {
      failures: { property: string }[];
    };
    assert.deepEqual(
      failures.failures.map((failure) => failure.property),
      ["track"],
    );
  });
});
