/**
 * ovslab/testing: unit-test a lab program without a host, an engine or a network.
 *
 *     import { strict as assert } from "node:assert";
 *     import { loadLab } from "ovslab/testing";
 *
 *     describe("my lab", () => {
 *       it("strips VLAN 1 on br-ex for traffic from the patch port", async () => {
 *         const lab = await loadLab(__dirname + "/..");          // the Pulumi project dir
 *         const strip = lab.flows("br-ex").find((f) => f.match === "in_port=phy-br-ex,dl_vlan=1");
 *         assert.equal(strip?.actions, "strip_vlan,NORMAL");
 *         assert.equal(lab.bridge("br-int").spec.failMode, "secure");
 *       });
 *     });
 *
 * `loadLab` runs the program under Pulumi mocks, validates every ovslab resource with its
 * provider's own `check` (an invalid spec rejects with the message `pulumi up` would show)
 * and plans each one for an empty host with its kind's own planner: `resource.commands`
 * are exactly what the provider would run there. `lab.script()` is `ovslab plan`'s output.
 */
export { loadLab, LoadOptions, OFFLINE_CONNECTION_CONFIG, problemsOf } from "./load";
export { Lab, LabFlow } from "./lab";
export { LabResource, SpecByKind, SpecOf, KIND_ORDER } from "./resources";
export { LabError } from "./errors";
export { Program } from "./run";
export type { PortView, PortRole, DeclaredLab } from "../core/graph/declared";
export type { Kind } from "../core/kinds";
