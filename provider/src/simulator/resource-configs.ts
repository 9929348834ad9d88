// Per-VM resource configurations: where setVmClockTrack's settings live and how they are read back
// (docs/zstack-behaviour.md#resource-configurations). Only a resource's own values are stored; a read of a
// config the resource does not have returns the current global value with no effective configs.

import { newUuid } from "./ids";
import { formatZStackDate, zstackError, ZStackApiError, type ZStackErrorCode } from "./wire";

/**
 * The resource configs the simulator knows, all in category `vm` and bound to VmInstanceVO (VmGlobalConfig).
 */
export type ResourceConfigName =
  "vm.clock.track" | "vm.clock.sync.after.vm.resume" | "vm.clock.sync.interval.in.seconds";

/** A resource config's definition: its default (the global config value) and valid values. */
interface ResourceConfigDefinition {
  readonly category: "vm";
  readonly name: ResourceConfigName;
  readonly defaultValue: string;
  readonly validValues: readonly string[];
  readonly description: string;
}

/** The valid `intervalInSeconds` / `vm.clock.sync.interval.in.seconds` values (APISetVmClockTrackMsg). */
export const CLOCK_SYNC_INTERVALS = [
  "0",
  "60",
  "600",
  "1800",
  "3600",
  "7200",
  "21600",
  "43200",
  "86400",
] as const;

// Defaults from zstack's conf/globalConfig/vm.xml and VmGlobalConfig's @GlobalConfigDef.
const DEFINITIONS: ReadonlyMap<string, ResourceConfigDefinition> = new Map(
  (
    [
      {
        category: "vm",
        name: "vm.clock.track",
        defaultValue: "host",
        validValues: ["guest", "host"],
        description: "the clock track of the vm, guest or host",
      },
      {
        category: "vm",
        name: "vm.clock.sync.after.vm.resume",
        defaultValue: "false",
        validValues: ["true", "false"],
        description: "sync the vm clock after the vm resumes",
      },
      {
        category: "vm",
        name: "vm.clock.sync.interval.in.seconds",
        defaultValue: "0",
        validValues: CLOCK_SYNC_INTERVALS,
        description: "interval of syncing the vm clock, 0 means disabled",
      },
    ] satisfies ResourceConfigDefinition[]
  ).map((d) => [`${d.category}/${d.name}`, d]),
);

/** `ResourceConfigInventory` (zstack `resourceconfig/.../ResourceConfigInventory.java`). */
export interface ResourceConfigInventory {
  readonly uuid: string;
  readonly resourceUuid: string;
  readonly resourceType: string;
  readonly name: string;
  readonly description?: string;
  readonly category: string;
  readonly value: string;
  readonly createDate: string;
  readonly lastOpDate: string;
}

/** The reply of GetResourceConfig: the effective value and the overrides it comes from (ResourceConfigFacadeImpl). */
interface ResourceConfigValue {
  readonly value: string;
  readonly effectiveConfigs: readonly ResourceConfigInventory[];
}

/** Top-level ResourceConfigInventory fields, for queries. */
export const RESOURCE_CONFIG_FIELDS: ReadonlySet<string> = new Set([
  "uuid",
  "resourceUuid",
  "resourceType",
  "name",
  "description",
  "category",
  "value",
  "createDate",
  "lastOpDate",
]);

/** The definition of `category/name`, if the simulator knows it. */
export function resourceConfigDefinition(
  category: string,
  name: string,
): ResourceConfigDefinition | undefined {
  return DEFINITIONS.get(`${category}/${name}`);
}

// The wording of the two errors below is not from the source (the checks live in GlobalConfig validators);
// the codes follow argerr (SYS.1007).
/** SYS.1007 for a config the server does not define. */
export function unknownResourceConfig(category: string, name: string): ZStackErrorCode {
  return zstackError("SYS.1007", `no resource config[category:${category}, name:${name}] found`);
}

/** SYS.1007 for a value outside the config's valid values. */
export function invalidResourceConfigValue(
  definition: ResourceConfigDefinition,
  value: string,
): ZStackErrorCode {
  return zstackError(
    "SYS.1007",
    `valid value for resource config[category:${definition.category}, name:${definition.name}] are ` +
      `[${definition.validValues.join(", ")}], but ${value} found`,
  );
}

/** Global values that differ from the shipped defaults, as an administrator's UpdateGlobalConfig would set them. */
export type GlobalConfigValues = Readonly<Partial<Record<ResourceConfigName, string>>>;

/** The global values of the resource configs and every resource's own values. */
export class ResourceConfigStore {
  private readonly byResource = new Map<string, Map<string, ResourceConfigInventory>>();
  private readonly globals = new Map<string, string>();

  /** @param globals global values replacing the defaults; each must be one of the config's valid values */
  constructor(globals: GlobalConfigValues = {}) {
    for (const [name, value] of Object.entries(globals)) {
      const definition = DEFINITIONS.get(`vm/${name}`);
      if (definition === undefined) throw new ZStackApiError(unknownResourceConfig("vm", name));
      this.setGlobal(definition, value);
    }
  }

  /** UpdateGlobalConfig: the value every resource without its own reads. */
  setGlobal(definition: ResourceConfigDefinition, value: string): void {
    if (!definition.validValues.includes(value))
      throw new ZStackApiError(invalidResourceConfigValue(definition, value));
    this.globals.set(definition.name, value);
  }

  /**
   * GetResourceConfig: the resource's own value, listed in `effectiveConfigs`, or else the global value with no
   * effective configs (ResourceConfigFacadeImpl).
   */
  get(resourceUuid: string, definition: ResourceConfigDefinition): ResourceConfigValue {
    const own = this.byResource.get(resourceUuid)?.get(definition.name);
    return own === undefined
      ? { value: this.globals.get(definition.name) ?? definition.defaultValue, effectiveConfigs: [] }
      : { value: own.value, effectiveConfigs: [own] };
  }

  /** UpdateResourceConfig: creates or updates the override (the caller validated the value). */
  set(resourceUuid: string, definition: ResourceConfigDefinition, value: string): ResourceConfigInventory {
    let configs = this.byResource.get(resourceUuid);
    if (configs === undefined) this.byResource.set(resourceUuid, (configs = new Map()));
    const now = formatZStackDate(Date.now());
    const previous = configs.get(definition.name);
    const inventory: ResourceConfigInventory = {
      uuid: previous?.uuid ?? newUuid(),
      resourceUuid,
      resourceType: "VmInstanceVO",
      name: definition.name,
      description: definition.description,
      category: definition.category,
      value,
      createDate: previous?.createDate ?? now,
      lastOpDate: now,
    };
    configs.set(definition.name, inventory);
    return inventory;
  }

  /** DeleteResourceConfig: drops the resource's own value, so it inherits the global value again. */
  delete(resourceUuid: string, definition: ResourceConfigDefinition): void {
    this.byResource.get(resourceUuid)?.delete(definition.name);
  }

  /** Every override (QueryResourceConfig returns only explicit overrides). */
  list(): ResourceConfigInventory[] {
    return [...this.byResource.values()].flatMap((configs) => [...configs.values()]);
  }

  /** Drops a resource's overrides when the resource is expunged. */
  removeResource(resourceUuid: string): void {
    this.byResource.delete(resourceUuid);
  }
}
