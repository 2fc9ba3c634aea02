// `ovslab adopt`: read a live host over SSH (one connection, reads only) and print the
// Pulumi program that declares what is on it. The reading and the program text are the
// core's (core/adopt); this file parses the options, connects and writes the text.
import * as fs from "node:fs";
import { adoptProgram, readHost, AdoptOptions } from "../core/adopt";
import { runReading } from "../providers/read";
import { closeAll, transportFor } from "../transport/pool";

export class AdoptUsageError extends Error {}

export interface AdoptArgs extends AdoptOptions {
  host: string;
  port: number;
  user: string;
  keyFile?: string;
  hostKey?: string;
  out?: string;
}

/** The options after `adopt`; every mistake is named before anything connects. */
export function parseAdoptArgs(argv: readonly string[]): AdoptArgs {
  const bridges: string[] = [];
  const netns: string[] = [];
  const cookies: string[] = [];
  const args: AdoptArgs = { host: "", port: 22, user: "root", bridges, netns, cookies };
  const lists: Record<string, string[]> = { "--bridge": bridges, "--netns": netns, "--cookie": cookies };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--no-adopt-field") {
      args.adoptFlag = false;
      continue;
    }
    const value = argv[i + 1];
    if (!flag.startsWith("--")) throw new AdoptUsageError(`adopt: unexpected argument ${flag}`);
    if (value === undefined || value.startsWith("--")) throw new AdoptUsageError(`adopt: ${flag} needs a value`);
    i++;
    if (Object.hasOwn(lists, flag)) lists[flag].push(value);
    else if (flag === "--host") args.host = value;
    else if (flag === "--port") {
      if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 65535)
        throw new AdoptUsageError(`adopt: --port must be 1-65535, got ${JSON.stringify(value)}`);
      args.port = Number(value);
    } else if (flag === "--user") args.user = value;
    else if (flag === "--key") args.keyFile = value;
    else if (flag === "--host-key") args.hostKey = value;
    else if (flag === "--out") args.out = value;
    else if (flag === "--owner") {
      if (!/^[^/]+\/[^/]+$/.test(value))
        throw new AdoptUsageError(`adopt: --owner must be PROJECT/STACK, got ${JSON.stringify(value)}`);
      args.owner = value;
    } else throw new AdoptUsageError(`adopt: unknown option ${flag}`);
  }
  if (!args.host) throw new AdoptUsageError("adopt: --host is required");
  for (const cookie of cookies)
    if (!/^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(cookie))
      throw new AdoptUsageError(
        `adopt: --cookie must be a 64-bit number (0x-hex or decimal), got ${JSON.stringify(cookie)}`,
      );
  return args;
}

/** Reads the host and returns the program's text (also written to --out when given). */
export async function adopt(args: AdoptArgs): Promise<string> {
  const privateKey = args.keyFile !== undefined ? fs.readFileSync(args.keyFile, "utf8") : undefined;
  const host = transportFor({ host: args.host, port: args.port, user: args.user, privateKey, hostKey: args.hostKey });
  try {
    const state = await runReading(host, readHost(args), { shared: false });
    const text = adoptProgram(state, args, `${args.user}@${args.host}:${args.port}`);
    if (args.out) fs.writeFileSync(args.out, text);
    return text;
  } finally {
    await closeAll();
  }
}
