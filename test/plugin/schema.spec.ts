import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { SCHEMA_FILE } from "../../tools/plugin/schema";
import { startWorld, type World } from "../support/world";
import { startPlugin } from "./support";

interface Property {
  readonly description?: string;
  readonly secret?: boolean;
  readonly $ref?: string;
}
interface Resource {
  readonly description: string;
  readonly inputProperties: Record<string, Property>;
  readonly properties: Record<string, Property>;
}
interface Schema {
  readonly name: string;
  readonly version: string;
  readonly config: { readonly variables: Record<string, Property> };
  readonly provider: { readonly inputProperties: Record<string, Property> };
  readonly resources: Record<string, Resource>;
  readonly functions: Record<string, unknown>;
  readonly types: Record<string, { readonly properties?: Record<string, Property> }>;
}

const committed = () => readFileSync(SCHEMA_FILE, "utf8");
const schema = () => JSON.parse(committed()) as Schema;

/** The properties a kind's check allows, as its "unknown property" failure lists them. */
async function allowedInputs(world: World, kind: "pause" | "clock"): Promise<string[]> {
  const failure = (await world[kind].check({}, { bogus: 1 })).failures?.[0];
  const listed = /allowed properties are (.*)$/.exec(failure?.reason ?? "")?.[1];
  assert.ok(listed, failure?.reason);
  return listed.split(", ");
}

describe("the plugin's schema", function () {
  this.timeout(60_000);

  it("provider/schema.json is what the plugin serves through GetSchema (run `npm run schema` after a change)", async () => {
    const plugin = await startPlugin();
    try {
      assert.equal(await plugin.getSchema(), committed());
    } finally {
      await plugin.close();
    }
    const manifest = path.join(__dirname, "..", "..", "provider", "package.json");
    assert.equal(
      schema().version,
      (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version,
    );
  });

  it("declares exactly the dynamic resources' inputs and outputs", async () => {
    const world = await startWorld();
    try {
      const pause = schema().resources["zstackvm:index:VmPauseState"]!;
      const clock = schema().resources["zstackvm:index:VmClockTrack"]!;
      assert.deepEqual(Object.keys(pause.inputProperties), await allowedInputs(world, "pause"));
      assert.deepEqual(Object.keys(clock.inputProperties), await allowedInputs(world, "clock"));

      const paused = await world.pause.create({
        vmUuid: DEMO_VM_UUIDS["web-1"],
        state: "Paused",
        timeoutSeconds: 60,
        onDelete: "leave",
      });
      assert.deepEqual(Object.keys(pause.properties).sort(), Object.keys(paused.outs).sort());
      const clocked = await world.clock.create({
        vmUuid: DEMO_VM_UUIDS["db-1"],
        track: "guest",
        timeoutSeconds: 60,
        onDelete: "leave",
      });
      assert.deepEqual(Object.keys(clock.properties).sort(), Object.keys(clocked.outs).sort());
    } finally {
      await world.close();
    }
  });

  it("the provider's inputs and config are the connection settings, the credentials secret", () => {
    const { config, provider } = schema();
    const names = [
      "host",
      "port",
      "scheme",
      "contextPath",
      "accountName",
      "accountPassword",
      "accessKeyId",
      "accessKeySecret",
      "caBundle",
      "insecure",
      "requestTimeoutSeconds",
    ];
    assert.deepEqual(Object.keys(provider.inputProperties), names);
    assert.deepEqual(config.variables, provider.inputProperties);
    const secrets = names.filter((name) => provider.inputProperties[name]!.secret === true);
    assert.deepEqual(secrets, ["accountPassword", "accessKeySecret"]);
  });

  it("every resource, function and property has a description (generated API docs are complete)", () => {
    const { resources, functions, types, provider } = schema();
    const missing: string[] = [];
    const each = (where: string, props: Record<string, Property> | undefined) => {
      for (const [name, prop] of Object.entries(props ?? {})) {
        if (!prop.description?.trim()) missing.push(`${where}.${name}`);
      }
    };
    for (const [token, resource] of Object.entries(resources)) {
      if (!resource.description.trim()) missing.push(token);
      each(`${token} input`, resource.inputProperties);
      each(`${token} output`, resource.properties);
    }
    for (const [token, fn] of Object.entries(functions)) {
      const spec = fn as { description?: string; inputs: { properties: Record<string, Property> } };
      if (!spec.description?.trim()) missing.push(token);
      each(`${token} input`, spec.inputs.properties);
    }
    for (const [token, type] of Object.entries(types)) each(token, type.properties);
    each("provider", provider.inputProperties);
    assert.deepEqual(missing, []);
  });
});
