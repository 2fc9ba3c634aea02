// `ovslab adopt`'s pure part: the host as read (read.ts) -> the program's declarations
// (ovs.ts, flows.ts, routers.ts) -> TypeScript text (render.ts).
import { AdoptedProgram, AdoptOptions, HostState } from "./model";
import { declareFlows } from "./flows";
import { bridgeOwner, declareOvs, selectBridges } from "./ovs";
import { declareRouters, placeDevices } from "./routers";
import { renderProgram } from "./render";

export { readHost } from "./read";
export type { AdoptOptions, HostState } from "./model";

/** Every selected object of the host as a declaration, or as a line of what is left alone. */
export function adoptHost(host: HostState, options: AdoptOptions, source: string): AdoptedProgram {
  const { bridges, missing } = selectBridges(host, options);
  if (missing.length)
    throw new Error(`no bridge ${missing.join(", ")} on the host (--bridge names an existing bridge)`);
  const { claimed, elsewhere } = placeDevices(host, options);
  const ovs = declareOvs(host, options, claimed, elsewhere);
  const adoptable = bridges.filter((b) => !("foreign" in bridgeOwner(b, options)));
  const flows = declareFlows(host, options, adoptable);
  const routers = declareRouters(host, options, new Set(adoptable.map((b) => b.name)));
  return {
    source,
    bridges: ovs.bridges,
    patchPairs: ovs.patchPairs,
    tunnelPorts: ovs.tunnelPorts,
    flowTables: flows.flowTables,
    routers: routers.routers,
    leftAlone: [...ovs.leftAlone, ...flows.leftAlone, ...routers.leftAlone],
  };
}

/** The program's TypeScript text. */
export function adoptProgram(host: HostState, options: AdoptOptions, source: string): string {
  return renderProgram(adoptHost(host, options, source), { adoptFlag: options.adoptFlag });
}
