// Unit tests of the query helpers: condition parsing as the server splits conditions, page parameters, and reading
// every page (windows, de-duplication when the list shifts, a server that ignores `start`).
import assert from "node:assert/strict";

import { formatQueryCondition, parseQueryCondition, ZStackError } from "pulumi-zstack-vm/zstack";
import { pageParams, readAllPages, type PageRequest } from "../../provider/src/zstack/query";

const ctx = { operation: "queryVmInstance" };
const vm = (n: number) => ({ uuid: `u${String(n).padStart(3, "0")}` });

describe("zstack query helpers", () => {
  it("splits conditions with the server's operator order", () => {
    assert.deepEqual(parseQueryCondition("state!=Running"), {
      field: "state",
      operator: "!=",
      value: "Running",
    });
    assert.deepEqual(parseQueryCondition("state?=Running,Paused"), {
      field: "state",
      operator: "?=",
      value: "Running,Paused",
    });
    assert.deepEqual(parseQueryCondition("vmNics.ip=172.20.0.10"), {
      field: "vmNics.ip",
      operator: "=",
      value: "172.20.0.10",
    });
    assert.deepEqual(parseQueryCondition("description is null"), {
      field: "description",
      operator: " is null",
      value: "",
    });
    // The value is kept as sent: `=` inside it is not another operator.
    assert.deepEqual(parseQueryCondition("name=a=b"), { field: "name", operator: "=", value: "a=b" });
    assert.equal(formatQueryCondition(parseQueryCondition("name~=web-%")!), "name~=web-%");
    for (const bad of ["state", "=Running", "memory size>1", "description is null x", "1st=a"]) {
      assert.equal(parseQueryCondition(bad), undefined, bad);
    }
  });

  it("asks for a window sorted by uuid, with the total", () => {
    const first = pageParams(["name=web", "state=Running"], { start: 0, limit: 50 });
    assert.equal(
      first.toString(),
      "q=name%3Dweb&q=state%3DRunning&limit=50&start=0&sort=%2Buuid&replyWithCount=true",
    );
  });

  it("reads windows until a short page, and stops at the total without an empty page", async () => {
    const list = Array.from({ length: 7 }, (_, i) => vm(i));
    const asked: PageRequest[] = [];
    const fetch = async (page: PageRequest) => {
      asked.push(page);
      return { inventories: list.slice(page.start, page.start + page.limit), total: list.length };
    };
    const result = await readAllPages(fetch, ctx, 3);
    assert.deepEqual(result.inventories, list);
    assert.equal(result.pages, 3);
    assert.deepEqual(
      asked.map((page) => page.start),
      [0, 3, 6],
    );
    asked.length = 0;
    await readAllPages(fetch, ctx, 7);
    assert.equal(asked.length, 1, "7 of 7 on the first page: done");
  });

  it("starts over when the number of matches changes between pages, so no VM is skipped", async () => {
    let list = Array.from({ length: 6 }, (_, i) => vm(i));
    let requests = 0;
    const fetch = async (page: PageRequest) => {
      requests++;
      const inventories = list.slice(page.start, page.start + page.limit);
      // After the first page, u000 is deleted: offset windows would now skip u002.
      if (requests === 1) list = list.slice(1);
      return { inventories, total: list.length + (requests === 1 ? 1 : 0) };
    };
    const result = await readAllPages(fetch, ctx, 2);
    assert.deepEqual(
      result.inventories.map((v) => v.uuid),
      ["u001", "u002", "u003", "u004", "u005"],
    );
    assert.equal(result.pages, 2 + 3, "the shifted page, then a whole new read");
  });

  it("a list that keeps changing fails after three reads", async () => {
    let total = 10;
    const fetch = async (page: PageRequest) => ({
      inventories: Array.from({ length: page.limit }, (_, i) => vm(page.start + i)),
      total: total++,
    });
    await assert.rejects(
      readAllPages(fetch, ctx, 2),
      /kept changing while their 6 pages were read \(3 attempts\)/,
    );
  });

  it("a server that ignores start is an error, not an endless loop", async () => {
    const fetch = async () => ({ inventories: [vm(1), vm(2)], total: 10 });
    await assert.rejects(readAllPages(fetch, ctx, 2), (error: unknown) => {
      assert.ok(ZStackError.isInstance(error));
      assert.equal(error.code, "CLIENT.PROTOCOL");
      assert.match(error.message, /page 2 of the query \(start=2\) repeated earlier results/);
      return true;
    });
  });
});
