import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { adoptHost, adoptProgram } from "../../../core/adopt";
import { HAND_BUILT, handBuilt } from "./fixtures";

const options = { bridges: ["br-int", "br-ex"], netns: [], cookies: ["0x5eed"] };

describe("adoptProgram", () => {
  it("turns the hand-built lab, as its host printed it, into the expected program text", () => {
    const expected = fs.readFileSync(path.join(HAND_BUILT, "program.ts"), "utf8");
    assert.equal(adoptProgram(handBuilt(options).host, options, "root@lab:22"), expected);
  });

  it("declares the bridges in the order --bridge gives them, every bridge by name without it", () => {
    const names = (o: typeof options) => adoptHost(handBuilt(o).host, o, "h").bridges.map((b) => b.args.name);
    assert.deepEqual(names(options), ["br-int", "br-ex"]);
    assert.deepEqual(names({ ...options, bridges: [] }), ["br-ex", "br-int"]);
  });

  it("refuses a --bridge the host does not have, naming it", () => {
    const o = { ...options, bridges: ["br-int", "br-tun"] };
    assert.throws(() => adoptHost(handBuilt(o).host, o, "h"), /no bridge br-tun on the host/);
  });

  it("leaves a namespace --netns does not select, and the ports whose devices it holds, as comments", () => {
    const o = { ...options, netns: ["qrouter-*"] };
    const program = adoptHost(handBuilt(o).host, o, "h");
    assert.deepEqual(
      program.routers.map((r) => r.name),
      ["qrouter-f44651e2-0aab-435b-ad11-7ad4255825c7"],
    );
    assert.ok(
      program.leftAlone.includes("port jill on br-int: its device is in namespace vm-jill, which was not selected"),
    );
    assert.deepEqual(
      program.bridges.map((b) => b.args.ports),
      [undefined, undefined],
      "no port is declared twice",
    );
  });
});
