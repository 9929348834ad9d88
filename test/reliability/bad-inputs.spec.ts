/**
 * Bad inputs, table-driven: each must fail `check` with one failure that names the property, quotes the value and
 * says what is allowed, before any request reaches ZStack. Every row runs through the runtime's controllers and through
 * the real dynamic-provider host over gRPC (where values travel as `google.protobuf.Struct`). Preview-time unknown
 * sentinels are the opposite case: they must be accepted, whatever property they stand in for.
 */
import assert from "node:assert/strict";

import {
  ProviderRuntime,
  UNKNOWN,
  checkSetConnectionSettings,
  controllersFor,
} from "pulumi-zstack-vm/runtime";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { secret, urn, type PropertyMap } from "../../tools/provider-host/host";
import { CLOCK_TYPE, PAUSE_TYPE, zstackConfig } from "../../tools/quickstart";
import { useHostWorld } from "../support/host-world";
import { startWorld, type World } from "../support/world";

const VM = DEMO_VM_UUIDS["web-1"];
const TYPES = { VmPauseState: PAUSE_TYPE, VmClockTrack: CLOCK_TYPE } as const;
type Kind = keyof typeof TYPES;

/** What every failure for a property must say is allowed (the contract users read in `pulumi preview`). */
const ALLOWED: Readonly<Record<string, string>> = {
  vmUuid: "32 lowercase hexadecimal characters without dashes",
  state: 'one of "Paused", "Running" (case-sensitive)',
  track: 'one of "guest", "host" (case-sensitive)',
  timeoutSeconds: "a whole number of seconds from 1 to 86400",
  onDelete: 'one of "restore", "leave"',
  intervalInSeconds: "one of 0, 60, 600, 1800, 3600, 7200, 21600, 43200, 86400",
  syncAfterVMResume: "true or false",
};

/** One bad input: the property it breaks, and what the message must quote of the value. */
interface BadInput {
  readonly kind: Kind;
  readonly what: string;
  /** Inputs as the program gives them; valid except for the one bad property. */
  readonly news: Record<string, unknown>;
  readonly property: string;
  /** How the value must appear in the reason (`missing` for an absent required input). */
  readonly quoted: string;
  /** A hint the reason must also give, if any. */
  readonly hint?: RegExp;
  /** The property is not an input of this resource at all. */
  readonly unknownKey?: true;
}

const pause = (overrides: Record<string, unknown>) => ({ vmUuid: VM, state: "Paused", ...overrides });
const clock = (overrides: Record<string, unknown>) => ({ vmUuid: VM, track: "guest", ...overrides });
const without = (inputs: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== key));

const CASE_HINT = /did you mean "(Paused|guest|restore)"\? values are case-sensitive/;

const BAD_INPUTS: readonly BadInput[] = [
  // vmUuid (both resources share the field)
  {
    kind: "VmPauseState",
    what: "uuid as a number",
    news: pause({ vmUuid: 42 }),
    property: "vmUuid",
    quoted: "42",
  },
  {
    kind: "VmPauseState",
    what: "uuid in upper case",
    news: pause({ vmUuid: VM.toUpperCase() }),
    property: "vmUuid",
    quoted: JSON.stringify(VM.toUpperCase()),
  },
  {
    kind: "VmPauseState",
    what: "uuid with dashes",
    news: pause({ vmUuid: "aaaa0000-0000-0000-0000-000000000001" }),
    property: "vmUuid",
    quoted: '"aaaa0000-0000-0000-0000-000000000001"',
  },
  {
    kind: "VmPauseState",
    what: "uuid one character short",
    news: pause({ vmUuid: VM.slice(1) }),
    property: "vmUuid",
    quoted: JSON.stringify(VM.slice(1)),
  },
  {
    kind: "VmPauseState",
    what: "uuid with a non-hex character",
    news: pause({ vmUuid: `${VM.slice(0, 31)}g` }),
    property: "vmUuid",
    quoted: JSON.stringify(`${VM.slice(0, 31)}g`),
  },
  { kind: "VmPauseState", what: "empty uuid", news: pause({ vmUuid: "" }), property: "vmUuid", quoted: '""' },
  {
    kind: "VmPauseState",
    what: "null uuid",
    news: pause({ vmUuid: null }),
    property: "vmUuid",
    quoted: "missing",
  },
  {
    kind: "VmPauseState",
    what: "no uuid at all",
    news: without(pause({}), "vmUuid"),
    property: "vmUuid",
    quoted: "missing",
  },
  {
    kind: "VmPauseState",
    what: "uuid in a list",
    news: pause({ vmUuid: [VM] }),
    property: "vmUuid",
    quoted: `a list ["${VM}"]`,
  },
  {
    kind: "VmClockTrack",
    what: "uuid as an object",
    news: clock({ vmUuid: { uuid: VM } }),
    property: "vmUuid",
    quoted: `an object {"uuid":"${VM}"}`,
  },
  // state
  {
    kind: "VmPauseState",
    what: "state in lower case",
    news: pause({ state: "paused" }),
    property: "state",
    quoted: '"paused"',
    hint: CASE_HINT,
  },
  {
    kind: "VmPauseState",
    what: "state in upper case",
    news: pause({ state: "PAUSED" }),
    property: "state",
    quoted: '"PAUSED"',
    hint: CASE_HINT,
  },
  {
    kind: "VmPauseState",
    what: "a state pause cannot reach",
    news: pause({ state: "Stopped" }),
    property: "state",
    quoted: '"Stopped"',
  },
  { kind: "VmPauseState", what: "empty state", news: pause({ state: "" }), property: "state", quoted: '""' },
  {
    kind: "VmPauseState",
    what: "state as a boolean",
    news: pause({ state: true }),
    property: "state",
    quoted: "true",
  },
  {
    kind: "VmPauseState",
    what: "state as an object",
    news: pause({ state: { value: "Paused" } }),
    property: "state",
    quoted: 'an object {"value":"Paused"}',
  },
  // timeoutSeconds
  {
    kind: "VmPauseState",
    what: "negative timeout",
    news: pause({ timeoutSeconds: -5 }),
    property: "timeoutSeconds",
    quoted: "-5",
  },
  {
    kind: "VmPauseState",
    what: "zero timeout",
    news: pause({ timeoutSeconds: 0 }),
    property: "timeoutSeconds",
    quoted: "0",
  },
  {
    kind: "VmClockTrack",
    what: "absurd timeout (31 years)",
    news: clock({ timeoutSeconds: 1_000_000_000 }),
    property: "timeoutSeconds",
    quoted: "1000000000",
  },
  {
    kind: "VmPauseState",
    what: "fractional timeout",
    news: pause({ timeoutSeconds: 2.5 }),
    property: "timeoutSeconds",
    quoted: "2.5",
  },
  {
    kind: "VmPauseState",
    what: "timeout as a numeric string",
    news: pause({ timeoutSeconds: "600" }),
    property: "timeoutSeconds",
    quoted: '"600"',
  },
  {
    kind: "VmClockTrack",
    what: "timeout as a duration string",
    news: clock({ timeoutSeconds: "10m" }),
    property: "timeoutSeconds",
    quoted: '"10m"',
  },
  // onDelete
  {
    kind: "VmPauseState",
    what: "onDelete capitalized",
    news: pause({ onDelete: "Restore" }),
    property: "onDelete",
    quoted: '"Restore"',
    hint: CASE_HINT,
  },
  {
    kind: "VmClockTrack",
    what: "onDelete not a choice",
    news: clock({ onDelete: "keep" }),
    property: "onDelete",
    quoted: '"keep"',
  },
  {
    kind: "VmClockTrack",
    what: "empty onDelete",
    news: clock({ onDelete: "" }),
    property: "onDelete",
    quoted: '""',
  },
  // track
  {
    kind: "VmClockTrack",
    what: "track capitalized",
    news: clock({ track: "Guest" }),
    property: "track",
    quoted: '"Guest"',
    hint: CASE_HINT,
  },
  {
    kind: "VmClockTrack",
    what: "track in upper case",
    news: clock({ track: "GUEST" }),
    property: "track",
    quoted: '"GUEST"',
    hint: CASE_HINT,
  },
  {
    kind: "VmClockTrack",
    what: "track not a choice",
    news: clock({ track: "utc" }),
    property: "track",
    quoted: '"utc"',
  },
  { kind: "VmClockTrack", what: "empty track", news: clock({ track: "" }), property: "track", quoted: '""' },
  {
    kind: "VmClockTrack",
    what: "null track",
    news: clock({ track: null }),
    property: "track",
    quoted: "missing",
  },
  {
    kind: "VmClockTrack",
    what: "no track at all",
    news: without(clock({}), "track"),
    property: "track",
    quoted: "missing",
  },
  {
    kind: "VmClockTrack",
    what: "track as a number",
    news: clock({ track: 1 }),
    property: "track",
    quoted: "1",
  },
  // intervalInSeconds
  {
    kind: "VmClockTrack",
    what: "interval not in the allowed set",
    news: clock({ intervalInSeconds: 30 }),
    property: "intervalInSeconds",
    quoted: "30",
  },
  {
    kind: "VmClockTrack",
    what: "negative interval",
    news: clock({ intervalInSeconds: -60 }),
    property: "intervalInSeconds",
    quoted: "-60",
  },
  {
    kind: "VmClockTrack",
    what: "interval as a numeric string",
    news: clock({ intervalInSeconds: "600" }),
    property: "intervalInSeconds",
    quoted: '"600"',
    hint: /\(a number, not the string "600": write 600 without quotes\)/,
  },
  {
    kind: "VmClockTrack",
    what: "fractional interval",
    news: clock({ intervalInSeconds: 600.5 }),
    property: "intervalInSeconds",
    quoted: "600.5",
  },
  {
    kind: "VmClockTrack",
    what: "interval in a list",
    news: clock({ intervalInSeconds: [600] }),
    property: "intervalInSeconds",
    quoted: "a list [600]",
  },
  // syncAfterVMResume
  {
    kind: "VmClockTrack",
    what: "boolean as a string",
    news: clock({ syncAfterVMResume: "true" }),
    property: "syncAfterVMResume",
    quoted: '"true"',
    hint: /\(a boolean, not the string "true": write true without quotes\)/,
  },
  {
    kind: "VmClockTrack",
    what: "boolean as a number",
    news: clock({ syncAfterVMResume: 1 }),
    property: "syncAfterVMResume",
    quoted: "1",
  },
  {
    kind: "VmClockTrack",
    what: "boolean as yes",
    news: clock({ syncAfterVMResume: "yes" }),
    property: "syncAfterVMResume",
    quoted: '"yes"',
  },
  // unknown keys
  {
    kind: "VmPauseState",
    what: "misspelt optional input",
    news: pause({ timeoutSecond: 60 }),
    property: "timeoutSecond",
    unknownKey: true,
    quoted: "60",
  },
  {
    kind: "VmPauseState",
    what: "input name in the wrong case",
    news: pause({ State: "Running" }),
    property: "State",
    unknownKey: true,
    quoted: '"Running"',
  },
  {
    kind: "VmClockTrack",
    what: "an input of the other resource",
    news: clock({ state: "Paused" }),
    property: "state",
    unknownKey: true,
    quoted: '"Paused"',
  },
];

/** Inputs with preview-time unknowns: accepted as they are (the values come at `up`). */
const UNKNOWN_INPUTS: readonly { readonly kind: Kind; readonly news: Record<string, unknown> }[] = [
  { kind: "VmPauseState", news: { vmUuid: UNKNOWN } },
  {
    kind: "VmPauseState",
    news: { vmUuid: UNKNOWN, state: UNKNOWN, timeoutSeconds: UNKNOWN, onDelete: UNKNOWN },
  },
  { kind: "VmClockTrack", news: { vmUuid: VM, track: UNKNOWN } },
  {
    kind: "VmClockTrack",
    news: { vmUuid: UNKNOWN, track: "host", intervalInSeconds: UNKNOWN, syncAfterVMResume: UNKNOWN },
  },
];

/** Checks one failure list against a row. */
function assertFails(row: BadInput, failures: readonly { property: string; reason: string }[]): void {
  const label = `${row.kind} ${row.what}`;
  assert.equal(failures.length, 1, `${label}: ${JSON.stringify(failures)}`);
  const [failure] = failures;
  assert.equal(failure!.property, row.property, label);
  const reason = failure!.reason;
  assert.ok(reason.startsWith(`${row.property}: `), `${label}: the reason names the property: ${reason}`);
  if (row.quoted === "missing") {
    assert.match(reason, /: missing; expected /, label);
  } else if (row.unknownKey) {
    // An unknown key: the reason quotes its value and lists the properties the resource has.
    assert.ok(reason.includes(`unknown property (value ${row.quoted})`), `${label}: ${reason}`);
    assert.match(reason, /allowed properties are vmUuid, /, label);
    return;
  } else {
    assert.ok(
      reason.includes(`${row.quoted} is not allowed`),
      `${label}: the reason quotes the value: ${reason}`,
    );
  }
  assert.ok(reason.includes(ALLOWED[row.property]!), `${label}: the reason lists what is allowed: ${reason}`);
  if (row.hint !== undefined) assert.match(reason, row.hint, label);
}

describe("reliability: bad inputs fail check, naming property, value and allowed values", function () {
  this.timeout(60_000);

  it(`has at least 30 bad inputs across both resources (${BAD_INPUTS.length})`, () => {
    assert.ok(BAD_INPUTS.length >= 30);
    for (const kind of Object.keys(TYPES))
      assert.ok(
        BAD_INPUTS.some((row) => row.kind === kind),
        kind,
      );
  });

  describe("through the controllers", () => {
    let world: World;
    before(async () => {
      world = await startWorld();
    });
    after(async () => {
      await world.close();
    });

    const provider = (kind: Kind) => world.controller(kind);

    for (const row of BAD_INPUTS) {
      it(`${row.kind}: ${row.what}`, async () => {
        const result = await provider(row.kind).check({}, row.news);
        assertFails(row, result.failures ?? []);
      });
    }

    it("accepts preview-time unknown sentinels in every input, and keeps them unknown", async () => {
      for (const { kind, news } of UNKNOWN_INPUTS) {
        const result = await provider(kind).check({}, news);
        assert.deepEqual(result.failures, [], JSON.stringify(news));
        for (const [key, value] of Object.entries(news)) assert.equal(result.inputs![key], value, key);
      }
    });

    it("made no request to ZStack", () => {
      assert.equal(world.sim.counters.count(), 0);
    });
  });

  describe("through the real dynamic-provider host (gRPC)", () => {
    const hosted = useHostWorld({ per: "suite", simulator: {} });

    const check = (kind: Kind, news: Record<string, unknown>) =>
      hosted.host.check(
        urn("dev", "quickstart", TYPES[kind], "r"),
        {},
        { __provider: hosted.texts[TYPES[kind]]!, ...news },
      );

    for (const row of BAD_INPUTS) {
      it(`${row.kind}: ${row.what}`, async () => {
        const result = await check(row.kind, row.news);
        assertFails(row, result.failures);
      });
    }

    it("accepts preview-time unknown sentinels in every input", async () => {
      for (const { kind, news } of UNKNOWN_INPUTS) {
        const result = await check(kind, news);
        assert.deepEqual(result.failures, [], JSON.stringify(news));
        for (const [key, value] of Object.entries(news)) assert.equal(result.inputs[key], value, key);
      }
    });

    it("made no request to ZStack", () => {
      assert.equal(hosted.sim.counters.count(), 0);
    });
  });
});

describe("reliability: invalid connection settings fail check, so a preview catches them", function () {
  this.timeout(60_000);

  /** Settings a user got wrong in every way that can be told without the network. */
  const BROKEN: Readonly<Record<string, string>> = {
    "zstack:port": "abc",
    "zstack:scheme": "ftp",
    "zstack:contextPath": "https://mn/zstack",
    "zstack:requestTimeoutSeconds": "0",
  };
  const assertNamesEach = (message: string) => {
    assert.match(message, /^ZStack connection settings are invalid:/);
    assert.match(message, /port "abc" is not valid, expected a whole number from 1 to 65535/);
    assert.match(message, /scheme "ftp" is not valid, expected "http" or "https"/);
    assert.match(
      message,
      /contextPath "https:\/\/mn\/zstack" is not valid, expected the URL path of the API only/,
    );
    assert.match(message, /requestTimeoutSeconds "0" is not valid, expected a whole number from 1 to 3600/);
  };

  it("through the controllers of a runtime that checks them, resolving no settings", async () => {
    let resolved = 0;
    const runtime = new ProviderRuntime({
      settings: () => {
        resolved++;
        throw new Error("check must not resolve the settings");
      },
      checkSettings: () => checkSetConnectionSettings({ get: (key) => BROKEN[key] }, {}),
    });
    for (const [kind, news] of [
      ["VmPauseState", pause({})],
      ["VmClockTrack", clock({})],
    ] as const) {
      await assert.rejects(controllersFor(runtime)[kind].check({}, news), (error: Error) => {
        assertNamesEach(error.message);
        return true;
      });
    }
    assert.equal(resolved, 0);
  });

  describe("through the real dynamic-provider host (gRPC)", () => {
    const hosted = useHostWorld({ per: "suite", simulator: {} });

    const configure = (overrides: Readonly<Record<string, string>>) =>
      hosted.host.configure(
        Object.fromEntries(
          Object.entries({ ...zstackConfig(hosted.sim), ...overrides }).map(([key, value]) => [
            key,
            typeof value === "string" ? value : secret(value.secret),
          ]),
        ) as PropertyMap,
      );
    const check = () =>
      hosted.host.check(
        urn("dev", "quickstart", PAUSE_TYPE, "r"),
        {},
        { __provider: hosted.texts[PAUSE_TYPE]!, ...pause({}) },
      );

    it("fails check with the one message naming each invalid value, and the host prints no stack frame", async () => {
      await configure(BROKEN);
      await assert.rejects(check(), (error: Error & { details?: string }) => {
        assertNamesEach(error.details ?? error.message);
        return true;
      });
      assert.doesNotMatch(hosted.host.output(), /^\s+at \S.*:\d+:\d+\)?$/m, hosted.host.output());
      assert.ok(!hosted.host.output().includes(hosted.sim.credentials.password));
    });

    it("made no request to ZStack", () => {
      assert.equal(hosted.sim.counters.count(), 0);
    });
  });
});
