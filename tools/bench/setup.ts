/** What every benchmark section needs besides the quickstart project: the real `__provider` texts of the Resource classes. */
import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";

import { PROJECT } from "../quickstart";

/** The `__provider` texts that the Resource classes serialize for a set of resources. */
export interface ProviderTexts {
  /** Every text seen, by type token, one entry per resource constructed. */
  readonly byType: Readonly<Record<string, readonly string[]>>;
}

/**
 * Constructs resources of both kinds with varied inputs under `pulumi.runtime.setMocks` and collects the
 * `__provider` each registered: exactly what `pulumi up` stores in state, without an engine. Varied inputs matter:
 * the text must not depend on them.
 */
export async function collectProviderTexts(): Promise<ProviderTexts> {
  const seen: { type: string; text: unknown }[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen.push({ type: args.type, text: args.inputs.__provider });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    PROJECT,
    "bench",
    false,
  );
  const a = "0123456789abcdef0123456789abcdef";
  const b = "fedcba9876543210fedcba9876543210";
  const resources = [
    new VmPauseState("pause-a", { vmUuid: a }),
    new VmPauseState("pause-b", { vmUuid: b, state: "Running", timeoutSeconds: 60, onDelete: "leave" }),
    new VmClockTrack("clock-a", { vmUuid: a, track: "guest" }),
    new VmClockTrack("clock-b", {
      vmUuid: b,
      track: "host",
      syncAfterVMResume: true,
      intervalInSeconds: 600,
    }),
  ];
  // Registration is asynchronous: wait for every URN, then one more turn for the mocks to have run.
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  await new Promise((resolve) => setImmediate(resolve));
  const byType: Record<string, string[]> = {};
  for (const { type, text } of seen) {
    if (typeof text !== "string") throw new Error(`${type}: __provider is not plain text`);
    (byType[type] ??= []).push(text);
  }
  return { byType };
}

/** The one `__provider` text of a type (throws when the resources of that type disagree or there is none). */
export function providerTextOf(texts: ProviderTexts, type: string): string {
  const list = texts.byType[type] ?? [];
  const first = list[0];
  if (first === undefined) throw new Error(`no __provider text for ${type}`);
  return first;
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
