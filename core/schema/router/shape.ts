// RouterNamespace's zod shape: each field's type, default and single-field rule. Rules
// spanning fields are in rules.ts, the canonical form in canonical.ts.
import { z } from "zod";
import { adoptField, interfaceName, vlanId } from "../common";
import {
  checkedString,
  hostRule,
  interfaceAddressRule,
  macRule,
  namespaceRule,
  routeDestinationRule,
  subnetRule,
  sysctlValueRule,
} from "./fields";

const mtu = z
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(68, "must be 68-65535")
  .max(65535, "must be 68-65535");

const routerVlan = z
  .object({
    // 0 and 4095 are reserved by 802.1Q; the kernel refuses them for a VLAN device.
    id: z
      .number({ message: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be 1-4094")
      .max(4094, "must be 1-4094"),
    addresses: z.array(checkedString(interfaceAddressRule)).default([]),
    mtu: mtu.optional(),
  })
  .strict();

const routerInterface = z
  .object({
    name: interfaceName,
    bridge: interfaceName,
    tag: vlanId.optional(),
    trunks: z.array(vlanId).optional(),
    vlans: z.array(routerVlan).default([]),
    addresses: z.array(checkedString(interfaceAddressRule)).default([]),
    mac: checkedString(macRule).optional(),
    mtu: mtu.optional(),
    up: z.boolean({ message: "must be true or false" }).optional(),
  })
  .strict();

const route = z
  .object({
    destination: checkedString(routeDestinationRule),
    via: checkedString(hostRule({})).optional(),
    device: interfaceName.optional(),
  })
  .strict();

const snat = z
  .object({
    interface: interfaceName,
    sources: z
      .array(checkedString(subnetRule({ family: 4, allowZero: true })))
      .min(1, "needs at least one source subnet"),
    toSource: checkedString(hostRule({ family: 4 })).optional(),
  })
  .strict();

const floatingIp = z
  .object({
    floatingIp: checkedString(hostRule({ family: 4 })),
    fixedIp: checkedString(hostRule({ family: 4 })),
    interface: interfaceName.optional(),
  })
  .strict();

export const shape = z
  .object({
    name: checkedString(namespaceRule),
    // Keys are checked in superRefine: zod words a bad record key only as "Invalid key in record".
    sysctls: z.record(z.string(), checkedString(sysctlValueRule)).default({}),
    interfaces: z.array(routerInterface).default([]),
    routes: z.array(route).default([]),
    snat: z.array(snat).default([]),
    floatingIps: z.array(floatingIp).default([]),
    adopt: adoptField,
  })
  .strict();

export type Shape = z.output<typeof shape>;
