// Port names -> port numbers, for handing a flow to `ovs-ofctl parse-flows` on the host:
// parse-flows reads flows without a bridge, so it knows no port names. The places a port
// may stand (ovs-fields(7) in_port; ovs-actions(7) output, a bare port, resubmit,
// enqueue, and inside clone/write_actions) are rewritten from the bridge's port table;
// any other text is passed on untouched for OVS to judge. A name the bridge does not have
// stays a name, and OVS then refuses it ("unknown port"), which is the right answer.
import { splitTopLevel, unquote } from "./syntax";
import { PORT_NAME } from "./ports";

const OFPP_LOCAL = 65534;

/** Port name -> OpenFlow port number, from the bridge's port table. */
export type PortNumbers = ReadonlyMap<string, number>;

function port(token: string, numbers: PortNumbers): string {
  const quoted = token.length >= 2 && token.startsWith('"') && token.endsWith('"');
  const name = quoted ? unquote(token) : token;
  if (!quoted && /^[0-9]+$/.test(name)) return token; // a number already
  const n = numbers.get(name);
  if (n === OFPP_LOCAL) return "LOCAL"; // the bridge's own port; OVS warns about the number
  return n === undefined ? token : String(n);
}

/** `in_port=phy-br-ex,dl_vlan=1` -> `in_port=1,dl_vlan=1`. */
export function numberMatch(match: string, numbers: PortNumbers): string {
  return splitTopLevel(match)
    .map((item) => (item.startsWith("in_port=") ? `in_port=${port(item.slice(8), numbers)}` : item))
    .join(",");
}

function numberAction(item: string, numbers: PortNumbers): string {
  const paren = /^([A-Za-z_0-9]+)\((.*)\)$/s.exec(item);
  if (paren) {
    const [, name, inner] = paren;
    const lower = name.toLowerCase();
    if (lower === "clone" || lower === "write_actions") return `${name}(${numberActions(inner, numbers)})`;
    if (lower === "resubmit" || lower === "enqueue") {
      const [first, ...rest] = inner.split(",");
      return `${name}(${[port(first, numbers), ...rest].join(",")})`;
    }
    if (lower === "output") {
      return `${name}(${splitTopLevel(inner)
        .map((a) => (a.startsWith("port=") ? `port=${port(a.slice(5), numbers)}` : a))
        .join(",")})`;
    }
    return item;
  }
  const colon = item.indexOf(":");
  if (colon < 0) return PORT_NAME.test(item) || item.startsWith('"') ? port(item, numbers) : item;
  const name = item.slice(0, colon).toLowerCase();
  const arg = item.slice(colon + 1);
  if (name === "output" || name === "resubmit") return `${item.slice(0, colon)}:${port(arg, numbers)}`;
  if (name === "enqueue") {
    const [p, ...queue] = arg.split(":");
    return `${item.slice(0, colon)}:${[port(p, numbers), ...queue].join(":")}`;
  }
  return item;
}

/** `strip_vlan,output:"phy-br-ex"` -> `strip_vlan,output:1`. */
export function numberActions(actions: string, numbers: PortNumbers): string {
  return splitTopLevel(actions)
    .map((item) => numberAction(item, numbers))
    .join(",");
}
