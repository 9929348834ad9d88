/**
 * Provider-side logging. The dynamic-provider host has no engine log channel, so lines go to stderr, which the
 * Pulumi CLI shows (since 3.146). Info lines appear only with `PULUMI_ZSTACK_VM_DEBUG=1` or `ZSTACK_DEBUG=1`;
 * warnings always. Callers pass uuids, states and action names only, never settings or credentials.
 */
function debugEnabled(): boolean {
  return process.env.PULUMI_ZSTACK_VM_DEBUG === "1" || process.env.ZSTACK_DEBUG === "1";
}

/** Logs a debug line when debugging is on. */
export function debug(message: string): void {
  if (debugEnabled()) process.stderr.write(`[pulumi-zstack-vm] ${message}\n`);
}

/** Logs a warning the user should see, such as a restore that was skipped. */
export function warn(message: string): void {
  process.stderr.write(`[pulumi-zstack-vm] warning: ${message}\n`);
}
