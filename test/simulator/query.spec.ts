// Conformance: the query API, resource configurations, routing and JSON format
// (provider/docs/zstack-behaviour.md: query API, resource configurations, JSON on the wire, inventories).

import assert from "node:assert/strict";
import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { VM_INVENTORY_KEYS } from "../../provider/src/vocabulary/vm-inventory-keys";
import { json, login, pollJob, rawCall } from "../support/zstack-raw-http";

const WEB_1 = DEMO_VM_UUIDS["web-1"];
const DB_1 = DEMO_VM_UUIDS["db-1"];
const BATCH_1 = DEMO_VM_UUIDS["batch-1"];
const DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;

interface QueryReply {
  readonly inventories: Array<Record<string, unknown>>;
  readonly total?: number;
  readonly schema?: Record<string, string>;
}

describe("simulator: VM queries", () => {
  let sim: Simulator;
  let session: string;
  before(async () => {
    sim = await startSimulator();
    session = await login(sim.url);
  });
  after(() => sim.close());

  const query = async (search: string): Promise<QueryReply> => {
    const res = await rawCall(sim.url, "GET", `/v1/vm-instances${search}`, { session });
    assert.equal(res.status, 200, res.text);
    return json<QueryReply>(res);
  };
  const names = (reply: QueryReply): unknown[] => reply.inventories.map((vm) => vm["name"]);

  it("returns one VM by uuid with every inventory field, ZStack dates and integer longs", async () => {
    const res = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session });
    assert.equal(res.status, 200);
    assert.match(res.contentType, /^application\/json/);
    assert.match(res.text, /"memorySize":2147483648[,}]/);
    const [vm] = json<QueryReply>(res).inventories;
    assert.ok(vm !== undefined);
    // reservedMemorySize is optional and the demo VMs have none, so the server leaves it out.
    for (const field of VM_INVENTORY_KEYS.filter((key) => key !== "reservedMemorySize"))
      assert.ok(field in vm, `missing ${field}`);
    assert.equal(vm["state"], "Running");
    assert.match(String(vm["createDate"]), DATE);
    assert.ok(!("reservedMemorySize" in vm), "null fields are omitted");
    const nic = (vm["vmNics"] as Array<Record<string, unknown>>)[0];
    assert.equal(nic?.["vmInstanceUuid"], WEB_1);
    const usedIp = (nic?.["usedIps"] as Array<Record<string, unknown>>)[0];
    assert.equal(usedIp?.["ip"], nic?.["ip"]);
    assert.equal(usedIp?.["vmNicUuid"], nic?.["uuid"]);
    const root = (vm["allVolumes"] as Array<Record<string, unknown>>)[0];
    assert.equal(root?.["uuid"], vm["rootVolumeUuid"]);
    assert.equal(root?.["type"], "Root");
    assert.equal(Number.isInteger(root?.["size"]), true);
  });

  it("adds the schema map of typed paths", async () => {
    const reply = await query(`/${DB_1}`);
    assert.deepEqual(reply.schema, {
      "inventories[0]": "org.zstack.header.vm.VmInstanceInventory",
      "inventories[0].vmNics[0]": "org.zstack.header.vm.VmNicInventory",
      "inventories[0].vmNics[0].usedIps[0]": "org.zstack.header.network.l3.UsedIpInventory",
      "inventories[0].allVolumes[0]": "org.zstack.header.volume.VolumeInventory",
      "inventories[0].allVolumes[1]": "org.zstack.header.volume.VolumeInventory",
      "inventories[0].vmCdRoms[0]": "org.zstack.header.vm.cdrom.VmCdRomInventory",
    });
  });

  it('answers an unknown uuid with 200 {"inventories":[]}', async () => {
    const res = await rawCall(sim.url, "GET", `/v1/vm-instances/${"9".repeat(32)}`, { session });
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"inventories":[]}');
  });

  it("filters with =, !=, ?=, !?=, ~=, !~=, is null and not null", async () => {
    assert.deepEqual(names(await query("?q=state=Running")), ["web-1", "web-2"]);
    assert.deepEqual(names(await query("?q=state!=Running")), ["db-1", "batch-1"]);
    assert.deepEqual(names(await query("?q=state?=Paused,Stopped")), ["db-1", "batch-1"]);
    assert.deepEqual(names(await query("?q=state!?=Paused,Stopped")), ["web-1", "web-2"]);
    assert.deepEqual(names(await query("?q=name~=web%25")), ["web-1", "web-2"]);
    assert.deepEqual(names(await query("?q=name~=db_1")), ["db-1"]);
    assert.deepEqual(names(await query("?q=name!~=web%25")), ["db-1", "batch-1"]);
    assert.deepEqual(names(await query("?q=hostUuid%20is%20null")), ["batch-1"]);
    assert.deepEqual(names(await query("?q=hostUuid%20not%20null")), ["web-1", "web-2", "db-1"]);
    assert.deepEqual(names(await query("?q=state=Running&q=name=web-2")), ["web-2"]);
    assert.deepEqual(names(await query("?q=cpuNum>2")), ["db-1", "batch-1"]);
    assert.deepEqual(names(await query("?q=vmNics.ip=172.20.0.12")), ["db-1"]);
  });

  it("pages with limit and start, counts with replyWithCount and count, sorts and projects", async () => {
    const page = await query("?limit=2&start=1&replyWithCount=true");
    assert.deepEqual(names(page), ["web-2", "db-1"]);
    assert.equal(page.total, 4);
    const counted = await rawCall(sim.url, "GET", "/v1/vm-instances?q=state=Running&count=true", { session });
    assert.deepEqual(json(counted), { total: 2 });
    assert.deepEqual(names(await query("?sort=-name")), ["web-2", "web-1", "db-1", "batch-1"]);
    const projected = await query("?fields=uuid,name&q=name=web-1");
    assert.deepEqual(projected.inventories, [{ uuid: WEB_1, name: "web-1" }]);
  });

  it("reads count and replyWithCount like Boolean.parseBoolean: True and TRUE are true, 1 and yes false", async () => {
    assert.deepEqual(json(await rawCall(sim.url, "GET", "/v1/vm-instances?count=True", { session })), {
      total: 4,
    });
    assert.equal((await query("?replyWithCount=TRUE&limit=1")).total, 4);
    for (const no of ["1", "yes", "on"]) {
      const reply = await query(`?count=${no}&replyWithCount=${no}`);
      assert.equal(reply.inventories.length, 4, no);
      assert.equal(reply.total, undefined, no);
    }
  });

  it("trims parameter names and values as the server does (an unencoded sort=+name sorts ascending)", async () => {
    // A literal '+' in a query string decodes to a space: the server receives ' name' and trims it.
    assert.deepEqual(names(await query("?sort=+name")), ["batch-1", "db-1", "web-1", "web-2"]);
    assert.deepEqual(names(await query("?sort=%2Bname")), ["batch-1", "db-1", "web-1", "web-2"]);
    assert.deepEqual(names(await query("?%20sort%20=%20-name%20&%20limit=%202%20")), ["web-2", "web-1"]);
    assert.equal((await query("?limit=+2")).inventories.length, 2); // Integer.valueOf after trimming ' 2'
    const projected = await query("?fields=%20uuid%20,%20name%20&q=name=web-1");
    assert.deepEqual(projected.inventories, [{ uuid: WEB_1, name: "web-1" }]);
    // The condition's field name is trimmed, its value is not: ' web-1' matches no VM.
    assert.deepEqual(names(await query("?q=%20name%20=web-1")), ["web-1"]);
    assert.deepEqual(names(await query("?q=name=%20web-1")), []);
  });

  it("answers a non-integer limit or start with 400 plain text", async () => {
    const limit = await rawCall(sim.url, "GET", "/v1/vm-instances?limit=ten", { session });
    assert.equal(limit.status, 400);
    assert.match(limit.contentType, /^text\/plain/);
    assert.equal(limit.text, "Invalid query parameter. 'limit' must be an integer");
    const start = await rawCall(sim.url, "GET", "/v1/vm-instances?start=1.5", { session });
    assert.equal(start.status, 400);
    assert.equal(start.text, "Invalid query parameter. 'start' must be an integer");
  });

  it("answers a condition without operator with 400 and an unknown field with 503 SYS.1007", async () => {
    const noOp = await rawCall(sim.url, "GET", "/v1/vm-instances?q=state", { session });
    assert.equal(noOp.status, 400);
    assert.equal(
      noOp.text,
      "Invalid query parameter. The 'state' in the parameter[q] doesn't contain any query operator. " +
        "Valid query operators are [[!=, >=, <=, !?=, !~=, ~=, ?=, =, >, <, is null, not null]]",
    );
    const noName = await rawCall(sim.url, "GET", "/v1/vm-instances?q=%3DRunning", { session });
    assert.equal(noName.status, 400);
    assert.equal(
      noName.text,
      "Invalid query parameter. The '=Running' in parameter[q] is not a key-value pair split by =",
    );
    const unknown = await rawCall(sim.url, "GET", "/v1/vm-instances?q=color=red", { session });
    assert.equal(unknown.status, 503);
    assert.deepEqual(json(unknown), {
      error: {
        code: "SYS.1007",
        description: "One or more API argument is invalid",
        details:
          "condition name[color] is invalid, no such field on inventory class[org.zstack.header.vm.VmInstanceInventory]",
      },
    });
  });
});

describe("simulator: resource configurations", () => {
  let sim: Simulator;
  let session: string;
  before(async () => {
    sim = await startSimulator({ timings: { clockTrackMs: 5, resourceConfigMs: 5 } });
    session = await login(sim.url);
  });
  after(() => sim.close());

  const read = async (vm: string, name: string): Promise<{ value: string; effectiveConfigs: unknown[] }> => {
    const res = await rawCall(sim.url, "GET", `/v1/resource-configurations/${vm}/vm/${name}`, { session });
    assert.equal(res.status, 200, res.text);
    return json(res);
  };

  it("reads the defaults host / false / 0 with empty effectiveConfigs for an unset VM", async () => {
    assert.deepEqual(await read(WEB_1, "vm.clock.track"), { value: "host", effectiveConfigs: [] });
    assert.deepEqual(await read(WEB_1, "vm.clock.sync.after.vm.resume"), {
      value: "false",
      effectiveConfigs: [],
    });
    assert.deepEqual(await read(WEB_1, "vm.clock.sync.interval.in.seconds"), {
      value: "0",
      effectiveConfigs: [],
    });
  });

  it("reads back setVmClockTrack's settings with their ResourceConfigInventory", async () => {
    const accepted = await rawCall(sim.url, "PUT", `/v1/vm-instances/${DB_1}/actions`, {
      session,
      body: { setVmClockTrack: { track: "guest", syncAfterVMResume: true, intervalInSeconds: 3600 } },
    });
    assert.equal((await pollJob(json<{ location: string }>(accepted).location)).status, 200);
    const track = await read(DB_1, "vm.clock.track");
    assert.equal(track.value, "guest");
    const [config] = track.effectiveConfigs as Array<Record<string, unknown>>;
    assert.equal(config?.["resourceUuid"], DB_1);
    assert.equal(config?.["resourceType"], "VmInstanceVO");
    assert.equal(config?.["category"], "vm");
    assert.equal(config?.["name"], "vm.clock.track");
    assert.equal(config?.["value"], "guest");
    assert.match(String(config?.["uuid"]), /^[0-9a-f]{32}$/);
    assert.match(String(config?.["createDate"]), DATE);
    assert.equal((await read(DB_1, "vm.clock.sync.after.vm.resume")).value, "true");
    assert.equal((await read(DB_1, "vm.clock.sync.interval.in.seconds")).value, "3600");
  });

  it("queries the overrides with q=resourceUuid=<vm>", async () => {
    sim.resourceConfigs.set(BATCH_1, "vm.clock.track", "guest");
    const res = await rawCall(sim.url, "GET", `/v1/resource-configurations?q=resourceUuid=${BATCH_1}`, {
      session,
    });
    assert.equal(res.status, 200);
    const reply = json<QueryReply>(res);
    assert.deepEqual(
      reply.inventories.map((c) => [c["name"], c["value"]]),
      [["vm.clock.track", "guest"]],
    );
    assert.equal(reply.schema?.["inventories[0]"], "org.zstack.resourceconfig.ResourceConfigInventory");
  });

  it("updates a config asynchronously with updateResourceConfig and deletes it back to the default", async () => {
    const accepted = await rawCall(
      sim.url,
      "PUT",
      `/v1/resource-configurations/vm/vm.clock.sync.interval.in.seconds/${WEB_1}/actions`,
      { session, body: { updateResourceConfig: { value: "600" } } },
    );
    assert.equal(accepted.status, 202);
    const done = await pollJob(json<{ location: string }>(accepted).location);
    assert.equal(done.status, 200);
    const { inventory } = json<{ inventory: Record<string, unknown> }>(done);
    assert.equal(inventory["value"], "600");
    assert.equal((await read(WEB_1, "vm.clock.sync.interval.in.seconds")).value, "600");

    const deleted = await rawCall(
      sim.url,
      "DELETE",
      `/v1/resource-configurations/vm/vm.clock.sync.interval.in.seconds/${WEB_1}`,
      { session },
    );
    assert.equal(deleted.status, 202);
    assert.equal((await pollJob(json<{ location: string }>(deleted).location)).status, 200);
    assert.deepEqual(await read(WEB_1, "vm.clock.sync.interval.in.seconds"), {
      value: "0",
      effectiveConfigs: [],
    });
  });

  it("fails an invalid value or unknown config with SYS.1007, and needs a session (ID.1001)", async () => {
    const accepted = await rawCall(
      sim.url,
      "PUT",
      `/v1/resource-configurations/vm/vm.clock.track/${WEB_1}/actions`,
      {
        session,
        body: { updateResourceConfig: { value: "tsc" } },
      },
    );
    const failed = await pollJob(json<{ location: string }>(accepted).location);
    assert.equal(failed.status, 503);
    assert.equal(json<{ error: { code: string } }>(failed).error.code, "SYS.1007");
    const unknown = await rawCall(sim.url, "GET", `/v1/resource-configurations/${WEB_1}/vm/vm.nope`, {
      session,
    });
    assert.equal(unknown.status, 503);
    assert.equal(json<{ error: { code: string } }>(unknown).error.code, "SYS.1007");
    const badSession = await rawCall(
      sim.url,
      "GET",
      `/v1/resource-configurations/${WEB_1}/vm/vm.clock.track`,
      {
        session: "a".repeat(32),
      },
    );
    assert.equal(badSession.status, 503);
    assert.equal(json<{ error: { code: string } }>(badSession).error.code, "ID.1001");
  });
});

describe("simulator: routing", () => {
  let sim: Simulator;
  let session: string;
  before(async () => {
    sim = await startSimulator();
    session = await login(sim.url);
  });
  after(() => sim.close());

  it("answers an unknown path with 404 'no api mapping to <path>'", async () => {
    const res = await rawCall(sim.url, "GET", "/v1/no-such-thing", { session });
    assert.equal(res.status, 404);
    assert.match(res.contentType, /^text\/plain/);
    assert.equal(res.text, "no api mapping to /v1/no-such-thing");
  });

  it("answers a wrong method on a known path with 405", async () => {
    const res = await rawCall(sim.url, "POST", "/v1/vm-instances", { session, body: {} });
    assert.equal(res.status, 405);
    assert.equal(res.text, "The method[POST] is not allowed for the path[/zstack/v1/vm-instances]");
    const put = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}/actions`, { session });
    assert.equal(put.status, 405);
  });

  it("serves only under the context path", async () => {
    const res = await rawCall(sim.url.replace(/\/zstack$/, ""), "GET", "/v1/vm-instances", { session });
    assert.equal(res.status, 404);
    assert.equal(res.text, "no api mapping to /v1/vm-instances");
  });
});
