// Port references in flows (`in_port=phy-br-ex`, `output:2`, `LOCAL`). OVS prints a port
// by name with `--names` and by number without; the canonical form is the name when the
// bridge's port table knows it, so both spellings compare equal. A port NUMBER nobody
// named reads as `#N`, so that it never equals a port NAMED with digits (`output:123` and
// `output:"123"` are two different ports to OVS).
import { Parsed } from "./values";
import { clip, unquote } from "./syntax";

/** What a bridge's port table tells us: OpenFlow port number -> name, and the bridge's own name (LOCAL). */
export interface PortNames {
  bridge?: string;
  byNumber: ReadonlyMap<number, string>;
}

export const NO_PORT_NAMES: PortNames = { byNumber: new Map() };

/** OpenFlow's reserved ports, which OVS prints in upper case whatever the input case. */
export const RESERVED_PORTS = [
  "LOCAL",
  "IN_PORT",
  "NORMAL",
  "FLOOD",
  "ALL",
  "CONTROLLER",
  "ANY",
  "NONE",
  "TABLE",
  "UNSET",
] as const;
const RESERVED = new Set<string>(RESERVED_PORTS);
const OFPP_LOCAL = [65534, 0xfffffffe];

/** A port name: what Linux takes for an interface, and what OVS prints bare or quoted. */
export const PORT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

/**
 * A port number, a reserved port or a port name, in canonical spelling. `token` is as
 * written: quoted (`"123"`) it is always a name, as OVS reads it.
 */
export function portValue(token: string, ports: PortNames = NO_PORT_NAMES): Parsed {
  const quoted = token.length >= 2 && token.startsWith('"') && token.endsWith('"');
  const name = quoted ? unquote(token) : token;
  const upper = name.toUpperCase();
  if (!quoted && RESERVED.has(upper)) return { ok: true, value: upper };
  if (!quoted && /^[0-9]+$/.test(name)) {
    const n = Number(name);
    if (n > 0xffffffff) return { ok: false, error: `port number ${clip(name)} is out of range` };
    if (OFPP_LOCAL.includes(n)) return { ok: true, value: "LOCAL" };
    return { ok: true, value: ports.byNumber.get(n) ?? `#${n}` };
  }
  if (!PORT_NAME.test(name)) {
    return {
      ok: false,
      error: `"${clip(name)}" is neither a port number nor a port name (1-15 letters, digits, '_', '.', '-')`,
    };
  }
  if (ports.bridge !== undefined && name === ports.bridge) return { ok: true, value: "LOCAL" };
  return { ok: true, value: name };
}
