/**
 * The demo's story, on the quickstart stack against the embedded simulator, driven by the real `pulumi` CLI:
 * preview, up, a change out of band, refresh showing the drift, up converging it, a change of the program previewed
 * and applied, destroy restoring the VMs, and what was sent to ZStack. Each section prints the command it runs and
 * the CLI's own output.
 */
import type { Simulator } from "pulumi-zstack-vm/simulator";
import { ActionLog } from "./action-log";
import { expect, expectSucceeded, vmFacts } from "./checks";
import { Report, type LineSink } from "./report";
import { startDemoSimulator, VM, vmTable } from "./simulator";
import { QuickstartStack } from "./stack";

/** The numbered sections below. */
const SECTIONS = 9;

/** The sync interval the program changes to in section 6 (the quickstart's default is 600). */
const NEW_INTERVAL = "3600";

/** What a finished demo reports. */
export interface DemoSummary {
  /** Actions ZStack accepted during the whole demo (pause, resume, setVmClockTrack). */
  readonly acceptedActions: number;
}

/** Runs the whole demo, printing to `out`. Throws a `DemoError` (or the underlying error) when a step fails. */
export async function runDemo(out: LineSink): Promise<DemoSummary> {
  const report = new Report(out, SECTIONS);
  report.banner("pulumi-zstack-vm demo: the quickstart stack against the embedded ZStack simulator");
  const sim = await startDemoSimulator();
  let stack: QuickstartStack | undefined;
  try {
    stack = await QuickstartStack.create(sim, out);
    await story(sim, stack, report);
    return { acceptedActions: sim.counters.acceptedActions() };
  } finally {
    stack?.dispose();
    // The simulator: nothing may keep the process alive.
    await sim.close();
  }
}

async function story(sim: Simulator, stack: QuickstartStack, report: Report): Promise<void> {
  const log = new ActionLog(sim);
  const vmsNow = (): void => {
    report.blank();
    report.note("the VMs on the simulator now:");
    report.lines(vmTable(sim));
  };
  const run = async (section: string, args: readonly string[]): Promise<void> => {
    log.mark(section);
    expectSucceeded(await stack.pulumi(args));
  };

  report.subheading("The simulated ZStack and the Pulumi CLI");
  report.note(`management node at ${sim.url}, account ${sim.credentials.accountName}; VMs:`);
  report.lines(vmTable(sim));
  report.blank();
  report.note(
    "the program (index.ts): keep web-1 Paused; db-1 clock track guest, sync after resume, every 600 s",
  );
  report.note(`pulumi ${stack.cli.version} (${cliOrigin(stack.cli.source)}: ${stack.cli.pulumi})`);
  report.note(`local file backend and passphrase in ${stack.workspaceDir} (temporary)`);

  // 1. Preview: Check and Diff only; nothing may reach ZStack.
  report.heading("Preview: what would change", "pulumi preview --diff");
  await run("1 preview", ["preview", "--diff"]);
  expect(log.actionsIn("1 preview").length === 0, "the preview sent an action to ZStack");
  report.blank();
  report.note("nothing was sent to ZStack: a preview only checks and diffs the declared state.");

  // 2. Up: web-1 paused, db-1's clock set.
  report.heading("Up: converge the VMs to the program", "pulumi up --yes");
  await run("2 up", ["up", "--yes"]);
  expect(vmFacts(sim, VM["web-1"]).state === "Paused", "web-1 is not Paused after `pulumi up`");
  expect(vmFacts(sim, VM["db-1"]).track === "guest", "db-1's clock track is not guest after `pulumi up`");
  vmsNow();

  // 3. Someone else resumes the VM behind Pulumi's back.
  report.heading("Out of band: another client resumes web-1");
  const resumed = await sim.vms.outOfBand(VM["web-1"], "resume");
  expect(resumed.state === "Running", "the out-of-band resume did not leave web-1 Running");
  report.note("another ZStack client sent resumeVmInstance for web-1; Pulumi's state still says Paused.");
  vmsNow();

  // 4. Refresh: the drift shows.
  report.heading("Refresh: Pulumi reads the VMs and finds the drift", "pulumi refresh --yes --skip-preview");
  await run("4 refresh", ["refresh", "--yes", "--skip-preview"]);
  expect(
    (await stack.outputsOf("web-paused"))["state"] === "Running",
    "the refresh did not record web-1 as Running",
  );
  expect(log.actionsIn("4 refresh").length === 0, "the refresh sent an action to ZStack");
  report.blank();
  report.note(
    'drift: web-1 is Running while the program declares "Paused"; refresh only reads, it sent no action.',
  );

  // 5. The next preview shows what converging takes.
  report.heading("Preview: the drift as the next up will fix it", "pulumi preview --diff");
  log.mark("5 preview");
  const drift = await stack.pulumi(["preview", "--diff"]);
  expectSucceeded(drift);
  expect(
    /~\s*state\s*:\s*"Running" => "Paused"/.test(drift.stdout),
    'the preview does not show state "Running" => "Paused"',
  );
  expect(log.actionsIn("5 preview").length === 0, "the preview sent an action to ZStack");

  // 6. Up converges it again.
  report.heading("Up: converge the drift", "pulumi up --yes");
  await run("6 up", ["up", "--yes"]);
  expect(vmFacts(sim, VM["web-1"]).state === "Paused", "web-1 is not Paused again after `pulumi up`");
  expect(log.actionsIn("6 up").length === 1, "converging should take exactly one action");
  report.blank();
  report.note(
    "one pauseVmInstance: web-1 is Paused again; db-1 was already as declared, so it was left alone.",
  );

  // 7. The program's desired state changes (through config): preview it.
  report.heading(
    `Change the program: sync db-1's clock every ${NEW_INTERVAL} s`,
    `pulumi config set syncIntervalSeconds ${NEW_INTERVAL} && pulumi preview --diff`,
  );
  expectSucceeded(await stack.pulumi(["config", "set", "syncIntervalSeconds", NEW_INTERVAL]));
  log.mark("7 preview");
  const preview = await stack.pulumi(["preview", "--diff"]);
  expectSucceeded(preview);
  expect(
    /~\s*intervalInSeconds\s*:\s*600 => 3600/.test(preview.stdout),
    "the preview does not show db-clock's interval changing from 600 to 3600",
  );
  expect(log.actionsIn("7 preview").length === 0, "the preview sent an action to ZStack");

  // 8. ...and apply it.
  report.heading("Up: apply the change in place", "pulumi up --yes");
  await run("8 up", ["up", "--yes"]);
  expect(vmFacts(sim, VM["db-1"]).interval === NEW_INTERVAL, `db-1's sync interval is not ${NEW_INTERVAL}`);
  vmsNow();

  // 9. Destroy: each VM back to how the stack found it.
  report.heading("Destroy: restore the VMs as they were found", "pulumi destroy --yes");
  await run("9 destroy", ["destroy", "--yes"]);
  const web = vmFacts(sim, VM["web-1"]);
  const db = vmFacts(sim, VM["db-1"]);
  expect(web.state === "Running", "web-1 was not restored to Running");
  expect(db.track === "host" && db.interval === "0", "db-1's clock settings were not restored");
  expect(
    !sim.resourceConfigs.hasOwn(VM["db-1"], "vm.clock.track"),
    "db-1 does not inherit its clock track again (it did when adopted)",
  );
  report.blank();
  report.note(
    "web-1 resumed (it was Running when adopted); db-1's clock settings inherit the global defaults " +
      "(host / false / 0) again, as they did when adopted.",
  );
  vmsNow();

  report.subheading("What was sent to ZStack (the simulator's request log)");
  report.lines(log.render());
}

/** Where the CLI came from, in words. */
function cliOrigin(source: QuickstartStack["cli"]["source"]): string {
  switch (source) {
    case "path":
      return "found on PATH";
    case "cache":
      return "pinned build, cached";
    case "built":
      return "pinned build, built now from its Go modules";
  }
}
