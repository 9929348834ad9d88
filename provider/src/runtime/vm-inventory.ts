import type { VmCdRomInventory, VmNicInventory, VolumeInventory } from "../zstack";
import type { VmState } from "../vocabulary/vm-states";

/**
 * The inventory outputs as plain values, the shape the runtime returns. Dates are ZStack's strings
 * (`Nov 14, 2017 10:20:57 PM`, server local time); sizes are bytes.
 */
export interface VmInventoryOutputs {
  readonly uuid: string;
  readonly name: string;
  readonly description: string | null;
  readonly zoneUuid: string | null;
  readonly clusterUuid: string | null;
  readonly imageUuid: string | null;
  readonly hostUuid: string | null;
  readonly lastHostUuid: string | null;
  readonly instanceOfferingUuid: string | null;
  readonly rootVolumeUuid: string | null;
  readonly platform: string | null;
  readonly architecture: string | null;
  readonly defaultL3NetworkUuid: string | null;
  readonly type: string | null;
  readonly hypervisorType: string | null;
  readonly memorySize: number | null;
  readonly reservedMemorySize: number | null;
  readonly cpuNum: number | null;
  readonly cpuSpeed: number | null;
  readonly allocatorStrategy: string | null;
  readonly createDate: string | null;
  readonly lastOpDate: string | null;
  /** The VM's actual state when last read (not the declared one). */
  readonly state: VmState | string;
  readonly vmNics: readonly VmNicInventory[];
  readonly allVolumes: readonly VolumeInventory[];
  readonly vmCdRoms: readonly VmCdRomInventory[];
  readonly guestOsType: string | null;
}
