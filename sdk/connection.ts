// The host connection from stack config, the way every example (and most labs) take it:
// `pulumi config set ovslab:host ...`, `ovslab:port`, `ovslab:user`, `ovslab:hostKey`,
// `pulumi config set --secret ovslab:privateKey < key`.
import type * as pulumi from "@pulumi/pulumi";
import { pulumi as sdk } from "./pulumiSdk";
import { ConnectionArgs } from "../transport/connection";

/**
 * Reads `ovslab:host` (required), `ovslab:port` (default 22), `ovslab:user` (default
 * root), `ovslab:hostKey` and the secret `ovslab:privateKey` (required). The key stays a
 * secret end to end: `requireSecret` keeps it encrypted in state and `[secret]` in output.
 */
export function hostConnection(config: pulumi.Config = new sdk.Config("ovslab")): pulumi.Output<ConnectionArgs> {
  return config.requireSecret("privateKey").apply((privateKey) => ({
    host: config.require("host"),
    port: config.getNumber("port") ?? 22,
    user: config.get("user") ?? "root",
    privateKey,
    hostKey: config.get("hostKey"),
  }));
}

/**
 * The connection of one host of a program that spans hosts, from the config namespace named
 * after it: `compute-1:host` (default: the name itself, as DNS or ~/.ssh/config knows it),
 * `compute-1:port`, `compute-1:user` and the secret `compute-1:privateKey`, each falling
 * back to the `ovslab:` key of the same name; `compute-1:hostKey` has no fallback (every
 * host has its own key).
 */
export function namedHostConnection(name: string): pulumi.Output<ConnectionArgs> {
  const own = new sdk.Config(name);
  const shared = new sdk.Config("ovslab");
  const key = own.getSecret("privateKey") ?? shared.getSecret("privateKey");
  if (key === undefined) {
    throw new Error(
      `host ${name}: no private key in config; set ${name}:privateKey (or ovslab:privateKey) with pulumi config set --secret`,
    );
  }
  return key.apply((privateKey) => ({
    host: own.get("host") ?? name,
    port: own.getNumber("port") ?? shared.getNumber("port") ?? 22,
    user: own.get("user") ?? shared.get("user") ?? "root",
    privateKey,
    hostKey: own.get("hostKey"),
  }));
}
