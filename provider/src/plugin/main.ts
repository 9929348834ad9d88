/**
 * The entry of `pulumi-resource-zstackvm`, the native provider plugin (provider/bin/pulumi-resource-zstackvm runs
 * it). The engine starts one such process per provider instance and reads the port it serves on from the first
 * line of its standard output; the engine's address, its first argument, is not needed (the plugin logs to
 * standard error, which the CLI shows).
 *
 * The instance's runtime is closed, its session logged out, when the process's work ends: the engine ends a
 * plugin with SIGINT, then SIGKILL 5 s later (runtime/process-end.ts).
 */
import { closeAtProcessEnd } from "../runtime";
import { NativeProvider } from "./native-provider";
import { servePlugin } from "./serve";

async function main(): Promise<void> {
  const provider = new NativeProvider();
  closeAtProcessEnd(() => provider.runtime.close());
  const port = await servePlugin(provider);
  process.stdout.write(`${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`pulumi-resource-zstackvm: could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
