// The actions half of a flow: known actions (a table from ovs-actions(7)), their
// arguments, and one canonical form. The canonical form is what OVS stores when the flow
// is written with OpenFlow 1.4 (our bundles), so user text and dump-flows output compare
// equal: strip_vlan -> pop_vlan, mod_vlan_vid:5 -> [push_vlan:0x8100,]set_field:4101->vlan_vid,
// mod_nw_src -> set_field:..->ip_src, and so on (each checked on OVS 3.1).
import { badCharacter, balanced, clip, closest, lookup, sizeProblem, splitTopLevel, unknownWord } from "./syntax";
import { anyValue, integerValue, ipv4Value, macValue, Parsed, parseInteger } from "./values";
import { NO_PORT_NAMES, PORT_NAME, PortNames, portValue } from "./ports";
import { OTHER_ACTIONS } from "./fields";
import { fieldName, subfield } from "./subfields";
import { MatchFacts } from "./match";

/** The highest table OVS lets flows use: table 254 is its own (adding there fails with EPERM). */
export const MAX_TABLE = 253;

export interface ActionContext {
  match: MatchFacts;
  table: number;
  ports?: PortNames;
}

export interface ParsedActions {
  /** Canonical actions joined with `,`; empty for drop. */
  canonical: string;
  problems: string[];
}

interface State {
  ctx: ActionContext;
  ports: PortNames;
  /** Whether the packet has a VLAN header at this point: OVS pushes one for mod_vlan_vid when not. */
  vlan: boolean;
  out: string[];
  problems: string[];
  /** What to do with a form OVS takes that is read no further here. */
  otherwise: (s: State, item: string) => void;
}

const BARE_PORT_ACTIONS = new Set(["NORMAL", "FLOOD", "ALL", "LOCAL", "IN_PORT"]);

const ip = (s: State) => s.ctx.match.dlType === 0x0800 || s.ctx.match.dlType === 0x86dd;
const ipv4 = (s: State) => s.ctx.match.dlType === 0x0800;
const l4Name = (s: State) =>
  ip(s) ? ({ 6: "tcp", 17: "udp", 132: "sctp" } as Record<number, string>)[s.ctx.match.nwProto ?? -1] : undefined;

type Handler = (s: State, arg: string | undefined, shown: string) => void;

function need(s: State, ok: boolean, shown: string, what: string): boolean {
  if (!ok) s.problems.push(`${shown} needs the match to select ${what} first (${OF14_RULE})`);
  return ok;
}

/** Emits the action for a value that parsed, or the problem with it. */
function value(s: State, shown: string, r: Parsed, emit: (v: string) => string): void {
  if (!r.ok) s.problems.push(`${shown}: ${r.error}`);
  else s.out.push(emit(r.value));
}

function noArg(canonical: string, check?: (s: State, shown: string) => boolean): Handler {
  return (s, arg, shown) => {
    if (arg !== undefined) s.problems.push(`${shown}: takes no argument`);
    else if (!check || check(s, shown)) s.out.push(canonical);
  };
}

function withArg(handler: (s: State, arg: string, shown: string) => void): Handler {
  return (s, arg, shown) =>
    arg === undefined || arg === ""
      ? s.problems.push(`${shown} needs an argument (${shown}:...)`)
      : handler(s, arg, shown);
}

/** Why a missing prerequisite is refused although OVS's OpenFlow 1.0 would take it. */
export const OF14_RULE =
  "OpenFlow 1.4, which ovslab's atomic bundles use, requires it; only OpenFlow 1.0 would take it";

/**
 * pop_vlan needs a VLAN header matched (or pushed) first in OpenFlow 1.1+. After a pop OVS
 * knows of no VLAN header (an inner tag is never matched here), so a later mod_vlan_vid pushes one.
 */
function popVlan(s: State, shown: string): boolean {
  const ok = need(s, s.vlan, shown, "a VLAN (e.g. dl_vlan=1, or vlan_tci=0x1000/0x1000 for any)");
  s.vlan = false;
  return ok;
}

function pushVlanIfNeeded(s: State): void {
  if (!s.vlan) s.out.push("push_vlan:0x8100");
  s.vlan = true;
}

function setField(s: State, arg: string, shown: string): void {
  const arrow = arg.indexOf("->");
  if (arrow < 0) return void s.problems.push(`${shown}: write set_field:VALUE->FIELD`);
  const f = fieldName(arg.slice(arrow + 2));
  if (!f.ok) return void s.problems.push(`${shown}: ${f.error}`);
  const raw = arg.slice(0, arrow);
  if (f.value === "vlan_vid" || f.value === "vlan_pcp") {
    if (!need(s, s.vlan, shown, "a VLAN (e.g. dl_vlan=1) or push_vlan")) return;
    const n = parseInteger(raw);
    if (f.value === "vlan_vid" && (n === undefined || (n & 0x1000n) === 0n || n > 0x1fffn)) {
      return void s.problems.push(
        `${shown}: a vlan_vid value carries the present bit 0x1000: ` +
          `write ${n !== undefined && n < 4096n ? 4096n + n : "0x1000+VID"}, or use mod_vlan_vid`,
      );
    }
  }
  s.out.push(`set_field:${anyValue(raw)}->${f.value}`);
}

function loadOrMove(kind: "load" | "move"): Handler {
  return withArg((s, arg, shown) => {
    const arrow = arg.indexOf("->");
    if (arrow < 0)
      return void s.problems.push(
        `${shown}: write ${kind === "load" ? "load:VALUE->FIELD[bits]" : "move:FIELD[bits]->FIELD[bits]"}`,
      );
    const rawSrc = arg.slice(0, arrow);
    const n = parseInteger(rawSrc);
    const src: Parsed =
      kind === "move"
        ? subfield(rawSrc)
        : n === undefined
          ? { ok: false, error: `"${rawSrc}" is not a number` }
          : { ok: true, value: "0x" + n.toString(16) };
    const dst = subfield(arg.slice(arrow + 2));
    if (!src.ok) return void s.problems.push(`${shown}: ${src.error}`);
    if (!dst.ok) return void s.problems.push(`${shown}: ${dst.error}`);
    s.out.push(`${kind}:${src.value}->${dst.value}`);
  });
}

function output(s: State, arg: string, shown: string): void {
  const field = arg.includes("[") || /^[A-Z]+_/.test(arg) ? subfield(arg) : undefined;
  if (field?.ok) return void s.out.push(`output:${field.value}`); // output:reg1[16..31]: the port is in a field
  const r = portValue(arg, s.ports);
  if (!r.ok) return void s.problems.push(`${shown}: ${r.error}`);
  if (r.value === "CONTROLLER") s.out.push("CONTROLLER:65535");
  else s.out.push(BARE_PORT_ACTIONS.has(r.value) ? r.value : `output:${r.value}`);
}

/** `output(port=P,max_len=N)`. */
function outputParen(s: State, inner: string, shown: string): void {
  const args = splitTopLevel(inner);
  const kv = new Map(args.map((a) => [a.split("=")[0], a.split("=").slice(1).join("=")]));
  const port = kv.get("port");
  const maxLen = kv.get("max_len");
  if (!port || [...kv.keys()].some((k) => k !== "port" && k !== "max_len"))
    return void s.problems.push(`${shown}: write output(port=P,max_len=N)`);
  const p = portValue(port, s.ports);
  const len = maxLen === undefined ? undefined : integerValue(maxLen, 16);
  if (!p.ok) return void s.problems.push(`${shown}: ${p.error}`);
  if (len && !len.ok) return void s.problems.push(`${shown}: max_len ${len.error}`);
  s.out.push(`output(port=${p.value}${len ? `,max_len=${BigInt(len.value)}` : ""})`);
}

/** resubmit:PORT, resubmit(PORT,TABLE), resubmit(,TABLE): canonically `resubmit(PORT,TABLE)`; IN_PORT is the default. */
function resubmit(s: State, port: string, table: string | undefined, shown: string): void {
  let p = "";
  if (port !== "") {
    const r = portValue(port, s.ports);
    if (!r.ok) return void s.problems.push(`${shown}: ${r.error}`);
    p = r.value === "IN_PORT" ? "" : r.value;
  }
  let t = "";
  if (table !== undefined && table !== "") {
    const n = parseInteger(table);
    if (n === undefined || n > BigInt(MAX_TABLE)) return void s.problems.push(`${shown}: table must be 0-${MAX_TABLE}`);
    t = String(n);
  }
  s.out.push(`resubmit(${p},${t})`);
}

/** ct(...): its arguments in sorted order (OVS prints them in its own), exec(...) read recursively. */
function ct(s: State, inner: string, shown: string): void {
  const canonical: string[] = [];
  for (const a of splitTopLevel(inner)) {
    const [k, ...rest] = a.split("=");
    const v = rest.join("=");
    if (a === "commit" || a === "force") canonical.push(a);
    else if (k === "table" && parseInteger(v) !== undefined && parseInteger(v)! <= BigInt(MAX_TABLE))
      canonical.push(`table=${parseInteger(v)}`);
    else if (k === "zone" && v) {
      const n = parseInteger(v);
      const r: Parsed =
        n !== undefined
          ? n <= 0xffffn
            ? { ok: true, value: String(n) }
            : { ok: false, error: "must be 0-65535" }
          : subfield(v);
      r.ok ? canonical.push(`zone=${r.value}`) : s.problems.push(`${shown}: zone ${r.error}`);
    } else if (k === "alg" && /^(ftp|tftp)$/.test(v)) canonical.push(a);
    else if (a === "nat" || a.startsWith("nat(")) canonical.push(a.toLowerCase());
    else if (a.startsWith("exec(") && a.endsWith(")")) {
      const inner: State = { ...s, out: [], problems: s.problems };
      for (const item of splitTopLevel(a.slice(5, -1))) readAction(inner, item);
      canonical.push(`exec(${inner.out.join(",")})`);
    } else canonical.push(a.replace(/ /g, "")); // another argument OVS takes (mark, label...): OVS judges it
  }
  s.out.push(`ct(${canonical.sort().join(",")})`);
}

const ACTIONS: Record<string, Handler> = {
  drop: noArg(""), // only alone; checked in parseActions
  normal: noArg("NORMAL"),
  flood: noArg("FLOOD"),
  all: noArg("ALL"),
  local: noArg("LOCAL"),
  in_port: noArg("IN_PORT"),
  controller: (s, arg, shown) => {
    const n = arg === undefined ? 65535n : parseInteger(arg);
    n === undefined || n > 65535n
      ? s.problems.push(`${shown}: max_len must be 0-65535`)
      : s.out.push(`CONTROLLER:${n}`);
  },
  output: withArg(output),
  strip_vlan: noArg("pop_vlan", popVlan),
  pop_vlan: noArg("pop_vlan", popVlan),
  push_vlan: withArg((s, arg, shown) => {
    const n = parseInteger(arg);
    if (n !== 0x8100n && n !== 0x88a8n) return void s.problems.push(`${shown}: the ethertype must be 0x8100 or 0x88a8`);
    s.out.push(`push_vlan:0x${n.toString(16)}`);
    s.vlan = true;
  }),
  mod_vlan_vid: withArg((s, arg, shown) => {
    const n = parseInteger(arg);
    if (n === undefined || n > 4095n) return void s.problems.push(`${shown}: must be 0-4095`);
    pushVlanIfNeeded(s);
    s.out.push(`set_field:0x${(0x1000n | n).toString(16)}->vlan_vid`);
  }),
  mod_vlan_pcp: withArg((s, arg, shown) => {
    const n = parseInteger(arg);
    if (n === undefined || n > 7n) return void s.problems.push(`${shown}: must be 0-7`);
    pushVlanIfNeeded(s);
    s.out.push(`set_field:0x${n.toString(16)}->vlan_pcp`);
  }),
  set_field: withArg(setField),
  load: loadOrMove("load"),
  move: loadOrMove("move"),
  mod_dl_src: withArg((s, arg, shown) =>
    value(s, shown, macValue(arg, { maskable: false }), (v) => `set_field:${v}->eth_src`),
  ),
  mod_dl_dst: withArg((s, arg, shown) =>
    value(s, shown, macValue(arg, { maskable: false }), (v) => `set_field:${v}->eth_dst`),
  ),
  mod_nw_src: withArg(
    (s, arg, shown) =>
      need(s, ipv4(s), shown, "ip") &&
      value(s, shown, ipv4Value(arg, { maskable: false }), (v) => `set_field:${v}->ip_src`),
  ),
  mod_nw_dst: withArg(
    (s, arg, shown) =>
      need(s, ipv4(s), shown, "ip") &&
      value(s, shown, ipv4Value(arg, { maskable: false }), (v) => `set_field:${v}->ip_dst`),
  ),
  mod_nw_tos: withArg((s, arg, shown) => {
    const n = parseInteger(arg);
    if (n === undefined || n > 255n || n % 4n !== 0n)
      return void s.problems.push(`${shown}: must be 0-255 with the two ECN bits clear (a multiple of 4)`);
    if (need(s, ip(s), shown, "ip or ipv6")) s.out.push(`set_field:0x${(n >> 2n).toString(16)}->ip_dscp`);
  }),
  mod_nw_ecn: withArg(
    (s, arg, shown) =>
      need(s, ip(s), shown, "ip or ipv6") && value(s, shown, integerValue(arg, 2), (v) => `set_field:${v}->nw_ecn`),
  ),
  mod_nw_ttl: withArg(
    (s, arg, shown) =>
      need(s, ip(s), shown, "ip or ipv6") && value(s, shown, integerValue(arg, 8), (v) => `mod_nw_ttl:${BigInt(v)}`),
  ),
  mod_tp_src: withArg(
    (s, arg, shown) =>
      need(s, !!l4Name(s), shown, "tcp, udp or sctp") &&
      value(s, shown, integerValue(arg, 16), (v) => `set_field:${v}->${l4Name(s)}_src`),
  ),
  mod_tp_dst: withArg(
    (s, arg, shown) =>
      need(s, !!l4Name(s), shown, "tcp, udp or sctp") &&
      value(s, shown, integerValue(arg, 16), (v) => `set_field:${v}->${l4Name(s)}_dst`),
  ),
  dec_ttl: noArg("dec_ttl", (s, shown) => need(s, ip(s), shown, "ip or ipv6")),
  set_tunnel: withArg((s, arg, shown) => value(s, shown, integerValue(arg, 64), (v) => `set_field:${v}->tun_id`)),
  set_tunnel64: withArg((s, arg, shown) => value(s, shown, integerValue(arg, 64), (v) => `set_field:${v}->tun_id`)),
  set_queue: withArg((s, arg, shown) => value(s, shown, integerValue(arg, 32), (v) => `set_queue:${BigInt(v)}`)),
  pop_queue: noArg("pop_queue"),
  resubmit: withArg((s, arg, shown) => resubmit(s, arg, undefined, shown)),
  goto_table: withArg((s, arg, shown) => {
    const n = parseInteger(arg);
    if (n === undefined || n > BigInt(MAX_TABLE) || n <= BigInt(s.ctx.table)) {
      return void s.problems.push(
        `${shown}: must name a later table than this rule's (${s.ctx.table + 1}-${MAX_TABLE}); ` +
          "use resubmit(,N) to go back",
      );
    }
    s.out.push(`goto_table:${n}`);
  }),
  write_metadata: withArg((s, arg, shown) =>
    value(s, shown, integerValue(arg, 64, { maskable: true }), (v) => `write_metadata:${v}`),
  ),
  clear_actions: noArg("clear_actions"),
  exit: noArg("exit"),
  ct_clear: noArg("ct_clear"),
};

/** Actions written `name(args)`. */
const PAREN_ACTIONS: Record<string, (s: State, inner: string, shown: string) => void> = {
  output: outputParen,
  resubmit: (s, inner, shown) => {
    const args = inner.split(",");
    if (args.length <= 2) resubmit(s, args[0], args[1], shown);
    else s.otherwise(s, `resubmit(${inner})`); // resubmit(PORT,TABLE,ct): OVS reads the rest
  },
  ct: ct,
  write_actions: (s, inner) => {
    const nested: State = { ...s, out: [], problems: s.problems };
    for (const item of splitTopLevel(inner)) readAction(nested, item);
    s.out.push(`write_actions(${nested.out.join(",")})`);
  },
};

/** Every action name ovslab knows, modeled or not: a bare word near one of them is a typo, not a port. */
const ACTION_NAMES = () => [...Object.keys(ACTIONS), ...OTHER_ACTIONS];

/** Whether a bare word is an action rather than a port name. */
export const isActionName = (word: string) =>
  lookup(ACTIONS, word.toLowerCase()) !== undefined || OTHER_ACTIONS.has(word.toLowerCase());

/**
 * An action OVS knows that ovslab does not read in depth (learn, conjunction, the `name(...)`
 * forms of load, set_field...): kept as written. OVS reads it on the host at plan time.
 */
function keepAsWritten(s: State, item: string): void {
  s.out.push(item.replace(/ /g, ""));
}

function readAction(s: State, item: string): void {
  const paren = /^([A-Za-z_0-9]+)\((.*)\)$/s.exec(item);
  const colon = item.indexOf(":");
  const name = (paren ? paren[1] : colon >= 0 ? item.slice(0, colon) : item).toLowerCase();
  const shown = clip(item);
  if (OTHER_ACTIONS.has(name)) return keepAsWritten(s, item);
  if (paren) {
    const handler = lookup(PAREN_ACTIONS, name);
    if (handler) return handler(s, paren[2], shown);
    if (lookup(ACTIONS, name)) return keepAsWritten(s, item);
    return void s.problems.push(unknownWord("action", name, ACTION_NAMES()));
  }
  if (/^[0-9]+$/.test(item) || /^"[^"]*"$/.test(item)) return output(s, item, shown); // a bare port outputs there
  const handler = lookup(ACTIONS, name);
  if (handler) return handler(s, colon >= 0 ? item.slice(colon + 1) : undefined, shown);
  // A bare word is a port name to OVS (`actions=veth_r0`), unless it looks like a misspelt action.
  const typo = name.length <= 40 ? closest(name, ACTION_NAMES()) : undefined;
  if (colon < 0 && PORT_NAME.test(item) && !typo) return output(s, item, shown);
  const hint = PORT_NAME.test(item) ? `; to send to a port of that name, write output:${item}` : "";
  s.problems.push(unknownWord("action", name, ACTION_NAMES()) + hint);
}

/**
 * Reads an action list (`strip_vlan,NORMAL`, or as OVS prints it) into its canonical form
 * and every problem found.
 */
export function parseActions(text: string, ctx: ActionContext): ParsedActions {
  const problems: string[] = [];
  const size = sizeProblem(text);
  if (size) return { canonical: "", problems: [size] };
  if (!balanced(text)) return { canonical: "", problems: ["has unbalanced brackets"] };
  const items = splitTopLevel(text); // none: an empty list drops, as `drop` does (the OVS FAQ's way)
  if (items.some((i) => i.toLowerCase() === "drop") && items.length > 1)
    problems.push('"drop" must be the only action (OVS refuses it beside others)');
  const s: State = {
    ctx,
    ports: ctx.ports ?? NO_PORT_NAMES,
    vlan: ctx.match.hasVlan,
    out: [],
    problems,
    otherwise: keepAsWritten,
  };
  for (const item of items) readAction(s, item);
  return { canonical: s.out.filter((a) => a !== "").join(","), problems };
}

/** Problems with an action list as a user wrote it. */
export function actionProblems(text: string, ctx: ActionContext): string[] {
  const bad = badCharacter(text);
  return bad ? [bad] : parseActions(text, ctx).problems;
}
