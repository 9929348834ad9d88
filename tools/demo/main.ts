/**
 * `npm run demo`: the quickstart stack against the embedded ZStack simulator, driven by the real `pulumi`
 * CLI (found on PATH, cached or built from its Go modules). Exits 0 on success; on failure prints one message, without a stack trace, and exits 1.
 */
import { runDemo } from "./scenario";

async function main(): Promise<number> {
  const started = Date.now();
  try {
    const summary = await runDemo((line) => console.log(line));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log("");
    console.log(
      `Demo finished in ${seconds} s: ${summary.acceptedActions} actions sent to ZStack, every VM restored.`,
    );
    return 0;
  } catch (e) {
    // The message is the story's own (DemoError) or the underlying failure's; a stack trace would only bury it.
    console.error("");
    console.error(`Demo failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
