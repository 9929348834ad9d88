/**
 * The Pulumi package schema of the plugin: what `GetSchema` serves and `npm run schema` writes to
 * `provider/schema.json`, from which the SDKs of every language are generated. Property names are exactly the
 * dynamic resources' inputs and outputs; descriptions are the reference docs' text (`docs/*.md`), so the generated
 * API docs say what the docs say.
 */
import { CLOCK_SYNC_INTERVALS } from "../runtime";
import { VM_STATES } from "../vocabulary/vm-states";
import { PACKAGE_NAME, PLUGIN_VERSION, token } from "./package-info";
import { PROVIDER_INPUTS, SECRET_SETTINGS, SETTING_NAMES } from "./provider-inputs";

/** A property of the schema (the subset of Pulumi's property spec this package uses). */
interface PropertySpec {
  readonly type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  readonly $ref?: string;
  readonly items?: PropertySpec;
  readonly oneOf?: readonly PropertySpec[];
  readonly description?: string;
  readonly secret?: boolean;
  readonly willReplaceOnChanges?: boolean;
}

type Properties = Readonly<Record<string, PropertySpec>>;

const str = (description: string): PropertySpec => ({ type: "string", description });
const int = (description: string): PropertySpec => ({ type: "integer", description });
const bool = (description: string): PropertySpec => ({ type: "boolean", description });
const ref = (name: string, description: string): PropertySpec => ({
  $ref: `#/types/${token(name)}`,
  description,
});
const list = (name: string, description: string): PropertySpec => ({
  type: "array",
  items: { $ref: `#/types/${token(name)}` },
  description,
});

/** An object type of the schema: its properties and which of them are always present. */
function objectType(description: string, properties: Properties, required: readonly string[]) {
  return { description, type: "object", properties, required };
}

/** A string enum of the schema, each value described. */
function stringEnum(description: string, values: readonly (readonly [string, string])[]) {
  return {
    description,
    type: "string",
    enum: values.map(([value, text]) => ({ value, description: text })),
  };
}

const USED_IP = objectType(
  "An IP address a VM network interface uses (ZStack `UsedIpInventory`).",
  {
    uuid: str("The used IP's uuid."),
    ipRangeUuid: str("The IP range it was taken from."),
    ipVersion: int("4 or 6."),
    ip: str("The address."),
    netmask: str("The netmask."),
    gateway: str("The gateway."),
    usedFor: str("What the address is used for."),
    ipInLong: int("The address as a number."),
    vmNicUuid: str("The network interface that uses it."),
    createDate: str("ZStack's date string, server local time."),
    lastOpDate: str("ZStack's date string, server local time."),
  },
  ["uuid", "ip"],
);

const VM_NIC = objectType(
  "A VM network interface (ZStack `VmNicInventory`).",
  {
    uuid: str("The interface's uuid."),
    vmInstanceUuid: str("The VM's uuid."),
    l3NetworkUuid: str("The L3 network it is attached to."),
    ip: str("Its address; absent for an interface without one."),
    mac: str("Its MAC address."),
    hypervisorType: str("The hypervisor type."),
    netmask: str("The netmask."),
    gateway: str("The gateway."),
    metaData: str("ZStack's metadata of the interface."),
    ipVersion: int("4 or 6."),
    driverType: str("The emulated driver, such as `virtio`."),
    usedIps: list("UsedIpInventory", "Every address the interface uses."),
    internalName: str("The interface's name on the host."),
    deviceId: int("The device number in the VM."),
    type: str("The interface type, such as `VNIC`."),
    state: str("The interface state."),
    createDate: str("ZStack's date string, server local time."),
    lastOpDate: str("ZStack's date string, server local time."),
  },
  ["uuid", "vmInstanceUuid", "l3NetworkUuid", "mac", "usedIps", "deviceId", "createDate", "lastOpDate"],
);

const VOLUME = objectType(
  "A root or data volume of a VM (ZStack `VolumeInventory`).",
  {
    uuid: str("The volume's uuid."),
    name: str("The volume's name."),
    description: str("The volume's description."),
    primaryStorageUuid: str("The primary storage it is on."),
    vmInstanceUuid: str("The VM it is attached to."),
    diskOfferingUuid: str("The disk offering it was made from."),
    rootImageUuid: str("The image a root volume was made from."),
    installPath: str("Where it is stored."),
    type: str("`Root` or `Data`."),
    format: str("The disk format, such as `qcow2`."),
    size: int("Its virtual size, in bytes."),
    actualSize: int("The space it takes, in bytes."),
    deviceId: int("The device number in the VM."),
    state: str("`Enabled` or `Disabled`."),
    status: str("`Ready`, `Creating`, ..."),
    createDate: str("ZStack's date string, server local time."),
    lastOpDate: str("ZStack's date string, server local time."),
    isShareable: bool("Whether several VMs may attach it."),
    volumeQos: str("Its QoS settings."),
    lastDetachDate: str("ZStack's date string, server local time."),
    lastVmInstanceUuid: str("The VM it was last attached to."),
    lastAttachDate: str("ZStack's date string, server local time."),
    protocol: str("The storage protocol."),
  },
  [
    "uuid",
    "name",
    "primaryStorageUuid",
    "installPath",
    "type",
    "format",
    "size",
    "state",
    "status",
    "createDate",
    "lastOpDate",
  ],
);

const VM_CD_ROM = objectType(
  "A virtual CD-ROM drive of a VM (ZStack `VmCdRomInventory`).",
  {
    uuid: str("The drive's uuid."),
    vmInstanceUuid: str("The VM's uuid."),
    deviceId: int("The device number in the VM."),
    isoUuid: str("The ISO image in the drive, if any."),
    isoInstallPath: str("Where that ISO is stored."),
    name: str("The drive's name."),
    description: str("The drive's description."),
    protocol: str("The protocol."),
    createDate: str("ZStack's date string, server local time."),
    lastOpDate: str("ZStack's date string, server local time."),
  },
  ["uuid", "vmInstanceUuid", "deviceId", "name", "createDate", "lastOpDate"],
);

const PENDING_JOB = objectType(
  "An action ZStack accepted (or may have) whose outcome was not known when timeoutSeconds ran out; the next " +
    "`pulumi up` asks ZStack about this job instead of sending another action.",
  {
    jobUuid: str("The job's uuid."),
    vmUuid: str("The VM it acts on."),
    action: str("The action: `pauseVmInstance`, `resumeVmInstance` or `setVmClockTrack`."),
  },
  ["jobUuid", "vmUuid", "action"],
);

const CLOCK_INTERVALS = CLOCK_SYNC_INTERVALS.join(", ");

const MANAGED_CLOCK = objectType(
  "Clock settings a VmClockTrack manages: `null` for an optional one the program leaves alone.",
  {
    track: ref("ClockTrack", "Where the VM keeps its clock: `guest` or `host`."),
    syncAfterVMResume: bool("Whether the guest clock is synchronized after a resume."),
    intervalInSeconds: int(
      `The periodic sync interval in seconds (one of ${CLOCK_INTERVALS}; 0 disables it).`,
    ),
  },
  [],
);

/** The outputs every `VmInstanceInventory` field gives both resources (and the lookups' results). */
const INVENTORY: Properties = {
  uuid: str("The VM's uuid."),
  name: str("The VM's name."),
  description: str("The VM's description."),
  zoneUuid: str("The zone's uuid."),
  clusterUuid: str("The cluster's uuid."),
  imageUuid: str("The image the VM was made from."),
  hostUuid: str("The host the VM runs on; absent when it is not running."),
  lastHostUuid: str("The host the VM last ran on."),
  instanceOfferingUuid: str("The instance offering the VM was made from."),
  rootVolumeUuid: str("The root volume's uuid."),
  platform: str("`Linux`, `Windows`, `Other`, ..."),
  architecture: str("The CPU architecture, such as `x86_64`."),
  defaultL3NetworkUuid: str("The default L3 network."),
  type: str("`UserVm` or `ApplianceVm`."),
  hypervisorType: str("The hypervisor type, such as `KVM`."),
  memorySize: int("Memory in bytes."),
  reservedMemorySize: int("Reserved memory in bytes."),
  cpuNum: int("The number of CPUs."),
  cpuSpeed: int("The CPU speed."),
  allocatorStrategy: str("The host allocator strategy."),
  createDate: str("ZStack's date string, server local time (`Nov 14, 2017 10:20:57 PM`)."),
  lastOpDate: str("ZStack's date string, server local time."),
  state: str(
    "The VM's actual state when last read, not the declared one: after a refresh that finds the VM changed by " +
      "someone else, the next preview shows the difference and `pulumi up` converges it.",
  ),
  vmNics: list("VmNicInventory", "The VM's network interfaces."),
  allVolumes: list("VolumeInventory", "The VM's volumes, root and data."),
  vmCdRoms: list("VmCdRomInventory", "The VM's CD-ROM drives."),
  guestOsType: str("The guest OS type."),
};

/** The inventory fields a VM always has (the others are absent where ZStack omits them). */
const INVENTORY_REQUIRED = ["uuid", "name", "state", "vmNics", "allVolumes", "vmCdRoms"] as const;

const VM_UUID =
  "The uuid of an existing ZStack VM (32 lowercase hexadecimal characters). Changing it replaces the resource: " +
  "the new VM is adopted first, then the old one is released (restored or left as onDelete says).";
const TIMEOUT_SECONDS =
  "Bounds every request and wait of one create, update or delete, the login included, in seconds (1 to 86400, " +
  "default 600). An accepted action that outlives it is recorded as pendingJob and resumed by the next `pulumi " +
  "up`, never sent again.";
const ON_DELETE =
  '`"restore"` (the default): on delete, return the VM to how the resource found it, if it is still as declared ' +
  '(someone else\'s change wins, with a warning). `"leave"`: only forget it.';

/** The inputs both kinds share, and their outputs. */
function recordInputs(): Properties {
  return {
    vmUuid: { ...str(VM_UUID), willReplaceOnChanges: true },
    timeoutSeconds: int(TIMEOUT_SECONDS),
    onDelete: ref("OnDelete", ON_DELETE),
  };
}

const PAUSE_STATE_DESCRIPTION =
  "Declares that an existing ZStack VM is `Paused` or `Running`. It drives ZStack's `pauseVmInstance` and " +
  "`resumeVmInstance` actions and exposes the VM's inventory as outputs.\n\n" +
  "Create adopts the VM: it waits out transitional states, does nothing when the VM is already as declared, and " +
  "otherwise pauses or resumes it and waits for the job. Refresh reads the actual state into `state`, so a VM " +
  "paused or resumed by someone else shows as a diff and the next `pulumi up` converges it. Delete restores the " +
  "adopted state or leaves the VM, as `onDelete` says.\n\n" +
  "Import (`pulumi import zstackvm:index:VmPauseState <name> <vmUuid>`, or the `import` option) adopts the VM as " +
  "it is, with no action: the VM must be Running or Paused, and deleting the imported resource restores nothing " +
  "it did not change.";

const CLOCK_TRACK_DESCRIPTION =
  "Declares a ZStack VM's clock-track settings. It drives ZStack's `setVmClockTrack` action, reads the values " +
  "back from the VM's resource configurations, and exposes the VM's inventory as outputs.\n\n" +
  "Only the settings the program sets are sent and compared: leave `syncAfterVMResume` or `intervalInSeconds` " +
  "out and the VM's value is neither changed nor reported as drift. Removing a setting from the program hands it " +
  "back: the next `pulumi up` returns it to the value it had before the stack first changed it. Delete with " +
  '`onDelete: "restore"` sets back what the stack changed, where nobody else changed it since.\n\n' +
  "Import (`pulumi import zstackvm:index:VmClockTrack <name> <vmUuid>`, or the `import` option) adopts the VM's " +
  "clock settings as they are, with no action.";

const PAUSE_STATE = {
  description: PAUSE_STATE_DESCRIPTION,
  inputProperties: {
    vmUuid: recordInputs().vmUuid,
    state: ref(
      "PauseState",
      'The declared state: `"Paused"` (the default) or `"Running"` (case-sensitive). Changing it pauses or ' +
        "resumes the live VM.",
    ),
    timeoutSeconds: recordInputs().timeoutSeconds,
    onDelete: recordInputs().onDelete,
  },
  requiredInputs: ["vmUuid"],
  properties: {
    ...INVENTORY,
    ...recordInputs(),
    declaredState: ref("PauseState", "The state the program declares."),
    initialState: ref(
      "PauseState",
      'The settled state the VM was in when the resource adopted it; what `onDelete: "restore"` returns it to.',
    ),
    pendingJob: ref("PendingJob", "An accepted pause or resume whose wait ran out of time, or absent."),
  },
  required: [...INVENTORY_REQUIRED, "vmUuid", "timeoutSeconds", "onDelete"],
};

const CLOCK_TRACK = {
  description: CLOCK_TRACK_DESCRIPTION,
  inputProperties: {
    vmUuid: recordInputs().vmUuid,
    track: ref(
      "ClockTrack",
      'Where the VM keeps its clock: `"guest"` or `"host"` (case-sensitive). Required.',
    ),
    syncAfterVMResume: bool(
      "Whether the guest clock is synchronized after the VM resumes (ZStack 4.4.12 and later). Left out: not managed.",
    ),
    intervalInSeconds: int(
      `The periodic guest clock sync interval, one of ${CLOCK_INTERVALS} (seconds; 0 disables periodic sync; ` +
        "ZStack 4.4.12 and later). Left out: not managed.",
    ),
    timeoutSeconds: recordInputs().timeoutSeconds,
    onDelete: recordInputs().onDelete,
  },
  requiredInputs: ["vmUuid", "track"],
  properties: {
    ...INVENTORY,
    ...recordInputs(),
    track: ref("ClockTrack", "`vm.clock.track` as read back from the VM's resource configuration."),
    syncAfterVMResume: bool("`vm.clock.sync.after.vm.resume` as read back."),
    intervalInSeconds: int("`vm.clock.sync.interval.in.seconds` as read back."),
    declaredClock: ref("ManagedClock", "What the program declares, `null` where it leaves a setting alone."),
    restoreTo: ref(
      "ManagedClock",
      'What `onDelete: "restore"` sets back: the value each managed setting had before the resource first ' +
        "changed it (`null` for settings it does not manage, or has handed back).",
    ),
    pendingJob: ref("PendingJob", "A `setVmClockTrack` whose wait ran out of time, or absent."),
  },
  required: [
    ...INVENTORY_REQUIRED,
    "vmUuid",
    "timeoutSeconds",
    "onDelete",
    "track",
    "syncAfterVMResume",
    "intervalInSeconds",
  ],
};

const UUID_ARG = (what: string) =>
  str(`The ${what}'s uuid (32 lowercase hexadecimal characters without dashes).`);

const GET_VM_INSTANCE = {
  description:
    "Finds exactly one VM, by uuid or by exact name, and returns its inventory. It reads only, so it runs in " +
    "`pulumi preview` as in `pulumi up`. No VM, or several VMs of that name, is an error that says how many " +
    "matched and how to narrow it. Give exactly one of uuid and name.",
  inputs: {
    type: "object",
    properties: {
      uuid: UUID_ARG("VM"),
      name: str("The VM's exact, case-sensitive name; it must name exactly one VM."),
      timeoutSeconds: int(
        "Bounds the whole lookup, every request and retry included (1 to 3600, default 120).",
      ),
    },
  },
  outputs: { type: "object", properties: INVENTORY, required: [...INVENTORY_REQUIRED] },
};

const GET_VM_INSTANCES = {
  description:
    "Finds the VMs that match every given filter (none given: every VM), reading every page of the ZStack query, " +
    "and returns their inventories ordered by name, then uuid, so that a program iterating over them is stable " +
    "from one run to the next. No match is an empty list, not an error.",
  inputs: {
    type: "object",
    properties: {
      name: str("The exact name (ZStack condition `name=`)."),
      nameRegex: str(
        "A JavaScript regular expression the name must match, applied to the query's results (for a server-side " +
          'pattern use `conditions: ["name~=web-%"]`).',
      ),
      state: {
        oneOf: [
          { $ref: `#/types/${token("VmState")}` },
          { type: "array", items: { $ref: `#/types/${token("VmState")}` } },
        ],
        description: "One state, or any of several (`state=` or `state?=`).",
      },
      clusterUuid: UUID_ARG("cluster"),
      hostUuid: UUID_ARG("host (only running and paused VMs have one)"),
      zoneUuid: UUID_ARG("zone"),
      conditions: {
        type: "array",
        items: { type: "string" },
        description:
          "Further ZStack query conditions, as `field<operator>value` texts (`memorySize>4294967296`, " +
          "`name~=web-%`, `vmNics.ip=172.20.0.10`, `description is null`).",
      },
      limit: int(
        "The most VMs the lookup may return. When more match it fails, saying how many did, rather than cut the " +
          "list: a guard against a filter that is broader than meant. Default: no limit.",
      ),
      timeoutSeconds: int(
        "Bounds the whole lookup, every request and retry included (1 to 3600, default 120).",
      ),
      pageSize: int("VMs per request (1 to 1000, default 1000, ZStack's own default page size)."),
    },
  },
  outputs: {
    type: "object",
    properties: {
      vmInstances: list("VmInstanceInventory", "The matching VMs' inventories, ordered by name, then uuid."),
      uuids: { type: "array", items: { type: "string" }, description: "Their uuids, in the same order." },
      conditions: {
        type: "array",
        items: { type: "string" },
        description: "The ZStack query conditions the arguments became (`q=`), for the record.",
      },
    },
    required: ["vmInstances", "uuids", "conditions"],
  },
};

const ENV_NOTE = "`ZSTACK_*` environment variable of the same setting, read by the plugin.";

/** The provider's inputs, as a resource property table. */
function providerProperties(): Properties {
  return Object.fromEntries(
    SETTING_NAMES.map((name) => {
      const input = PROVIDER_INPUTS[name];
      return [
        name,
        {
          type: input.type,
          description: `${input.description} Unset: the ${ENV_NOTE}`,
          ...(input.secret ? { secret: true } : {}),
        },
      ];
    }),
  );
}

/** The package schema, as an object. */
export function packageSchema(): Record<string, unknown> {
  const settings = providerProperties();
  return {
    name: PACKAGE_NAME,
    displayName: "ZStack VM",
    version: PLUGIN_VERSION,
    description:
      "Declares the run-time state of ZStack VMs: pause state (VmPauseState) and clock-track settings " +
      "(VmClockTrack), with import, drift on refresh and restore on delete; VM lookups.",
    keywords: ["pulumi", "zstack", "vm", "category/infrastructure", "kind/native"],
    license: "Apache-2.0",
    publisher: "pulumi-zstack-vm",
    repository: "https://github.com/pulumi-zstack-vm/pulumi-zstack-vm",
    meta: { moduleFormat: "(.*)" },
    config: { variables: settings },
    provider: {
      description:
        "A ZStack management node to manage VMs on. The default provider reads the stack config `zstackvm:<setting>`, " +
        "then the `ZSTACK_*` environment variables; an explicit provider takes its settings as inputs, so one stack " +
        `can reach several endpoints. ${SECRET_SETTINGS.join(" and ")} are secrets.`,
      inputProperties: settings,
    },
    types: {
      [token("PauseState")]: stringEnum("A state a VmPauseState can declare.", [
        ["Paused", "The VM is paused (ZStack pauseVmInstance)."],
        ["Running", "The VM runs (ZStack resumeVmInstance)."],
      ]),
      [token("ClockTrack")]: stringEnum("Where a VM keeps its clock.", [
        ["guest", "The guest's own clock."],
        ["host", "The host's clock."],
      ]),
      [token("OnDelete")]: stringEnum("What deleting a resource does to the VM.", [
        ["restore", "Return the VM to how the resource found it, if it is still as declared."],
        ["leave", "Only forget the VM."],
      ]),
      [token("VmState")]: stringEnum(
        "A ZStack VM state (`VmInstanceState`).",
        VM_STATES.map((state) => [state, `The VM is ${state}.`] as const),
      ),
      [token("UsedIpInventory")]: USED_IP,
      [token("VmNicInventory")]: VM_NIC,
      [token("VolumeInventory")]: VOLUME,
      [token("VmCdRomInventory")]: VM_CD_ROM,
      [token("VmInstanceInventory")]: objectType(
        "A ZStack VM (`VmInstanceInventory`), with ZStack's names.",
        INVENTORY,
        INVENTORY_REQUIRED,
      ),
      [token("PendingJob")]: PENDING_JOB,
      [token("ManagedClock")]: MANAGED_CLOCK,
    },
    resources: {
      [token("VmPauseState")]: PAUSE_STATE,
      [token("VmClockTrack")]: CLOCK_TRACK,
    },
    functions: {
      [token("getVmInstance")]: GET_VM_INSTANCE,
      [token("getVmInstances")]: GET_VM_INSTANCES,
    },
    language: {
      nodejs: {
        packageName: "pulumi-zstackvm",
        packageDescription:
          "The pulumi-zstack-vm native provider's SDK: ZStack VM pause state and clock track.",
        dependencies: { "@pulumi/pulumi": "^3.0.0" },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: "github.com/pulumi-zstack-vm/pulumi-zstack-vm/sdk/go/zstackvm",
        generateResourceContainerTypes: false,
        respectSchemaVersion: true,
      },
      python: {
        packageName: "pulumi_zstackvm",
        requires: { pulumi: ">=3.0.0,<4.0.0" },
        respectSchemaVersion: true,
      },
      csharp: {
        rootNamespace: "PulumiZStackVm",
        packageReferences: { Pulumi: "3.*" },
        respectSchemaVersion: true,
      },
    },
  };
}

/** The schema text `GetSchema` serves and `provider/schema.json` holds: indented JSON with a final newline. */
export function schemaText(): string {
  return `${JSON.stringify(packageSchema(), null, 2)}\n`;
}
