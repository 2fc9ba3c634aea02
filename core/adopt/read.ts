// What `ovslab adopt` reads, as data (core/kinds/reading.ts): the reads the kinds use,
// host-wide. Round one: every Bridge/Port/Interface row and every namespace (one command);
// round two: every flow of each selected bridge, with port names. Read-only throughout.
import { dumpFlowsAsShown } from "../compile/ofctl";
import { readRouters } from "../compile/router";
import { readBridges } from "../compile/vsctl";
import { LiveBridge, parseBridges } from "../live/bridge";
import { parseFlowDump } from "../live/flows";
import { parseHostLinks, parseNamespace } from "../live/router";
import { routerSysctls } from "../schema/router";
import { query, reading, Reading } from "../kinds/reading";
import { splitNamespaces } from "../kinds/shared";
import { AdoptOptions, HostState } from "./model";
import { selectBridges } from "./ovs";

/**
 * The version flows are read in: OpenFlow 1.0 when the bridge allows it (its words are the
 * ones people write: `strip_vlan`, `mod_vlan_vid`), else the newest it allows.
 */
export function readingProtocol(bridge: Pick<LiveBridge, "protocols">): string {
  if (bridge.protocols.length === 0 || bridge.protocols.includes("OpenFlow10")) return "OpenFlow10";
  return [...bridge.protocols].sort().at(-1)!;
}

export function readHost(options: AdoptOptions): Reading<HostState> {
  const keys = Object.keys(routerSysctls(true)).sort();
  return reading(
    [query(readBridges([]), parseBridges), query(readRouters(keys), splitNamespaces, "netns:*")],
    (ovs, split) => {
      const namespaces = [...split.namespaces].flatMap(([name, text]) => {
        const ns = parseNamespace(name, text);
        return ns ? [ns] : [];
      });
      const hostLinks = parseHostLinks(split.host);
      const { bridges } = selectBridges({ ovs, flows: {}, namespaces, hostLinks }, options);
      const dumps = bridges.map((b) => query(dumpFlowsAsShown(b.name, readingProtocol(b)), parseFlowDump));
      return reading(dumps, (...flows) => ({
        ovs,
        flows: Object.fromEntries(bridges.map((b, i) => [b.name, flows[i]])),
        namespaces,
        hostLinks,
      }));
    },
  );
}
