import type * as dynamic from "@pulumi/pulumi/dynamic";

import type { CheckOutcome } from "./inputs";

/** The serialized provider text the host passes along with inputs and outputs. */
export interface WithProviderText {
  readonly __provider?: string;
}

/**
 * The dynamic-provider methods of one resource kind, as run inside the host. `check` and `diff` receive raw values
 * that may hold the preview-time unknown sentinel; the other methods receive checked inputs and stored outputs.
 * Every method that returns outputs returns all of them, with `null` rather than `undefined`.
 */
export interface ResourceController<Inputs, Outputs> {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckOutcome>;
  diff(
    id: string,
    olds: Outputs,
    news: { readonly [K in keyof Inputs]: unknown },
  ): Promise<dynamic.DiffResult>;
  create(inputs: Inputs & WithProviderText): Promise<{ readonly id: string; readonly outs: Outputs }>;
  read(id: string, props: Partial<Outputs> & WithProviderText): Promise<dynamic.ReadResult>;
  update(id: string, olds: Outputs, news: Inputs & WithProviderText): Promise<{ readonly outs: Outputs }>;
  delete(id: string, props: Outputs): Promise<void>;
}
