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
