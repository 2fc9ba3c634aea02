// Port references in flows (`in_port=phy-br-ex`, `output:2`, `LOCAL`). OVS prints a port
// by name with `--names` and by number without; the canonical form is the name when the
// bridge's port table knows it, so both spellings compare equal.
import { Parsed } from "./values";

/** What a bridge's port table tells us: OpenFlow port number -> name, and the bridge's own name (LOCAL). */
export interface PortNames {
  bridge?: string;
  byNumber: ReadonlyMap<number, string>;
}

export const NO_PORT_NAMES: PortNames = { byNumber: new Map() };

/** OpenFlow's reserved ports, which OVS prints in upper case whatever the input case. */
export const RESERVED_PORTS = ["LOCAL", "IN_PORT", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "ANY", "NONE", "TABLE", "UNSET"] as const;
const RESERVED = new Set<string>(RESERVED_PORTS);
const OFPP_LOCAL = [65534, 0xfffffffe];

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

/** A port number, a reserved port or a port name, in canonical spelling. */
export function portValue(token: string, ports: PortNames = NO_PORT_NAMES): Parsed {
  const upper = token.toUpperCase();
  if (RESERVED.has(upper)) return { ok: true, value: upper };
  if (/^[0-9]+$/.test(token)) {
    const n = Number(token);
    if (n > 0xffffffff) return { ok: false, error: `port number ${token} is out of range` };
    if (OFPP_LOCAL.includes(n)) return { ok: true, value: "LOCAL" };
    return { ok: true, value: ports.byNumber.get(n) ?? String(n) };
  }
  if (!NAME.test(token)) return { ok: false, error: `"${token}" is neither a port number nor a port name (1-15 letters, digits, '_', '.', '-')` };
  if (ports.bridge !== undefined && token === ports.bridge) return { ok: true, value: "LOCAL" };
  return { ok: true, value: token };
}
