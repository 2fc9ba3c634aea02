// What a command costs over SSH, three ways, against a throwaway lab VM:
//   new connection  a fresh SSH connection per command (what a tool that ssh-es per
//                   operation pays; pulumi-command's remote.Command per resource)
//   new channel     one connection, a fresh exec channel per command
//   ovslab          our transport: one connection, commands streamed into a persistent shell
// Usage: node dist/bench/transport.js [commands-per-cell, default 50]
import { performance } from "node:perf_hooks";
import { Client } from "ssh2";
import { formatArgv } from "../core/shell";
import { LabConnection, LabHost, startLabHost } from "../lab/host";
import { parseHostKeyPin, pinMatches } from "../transport/hostkeys";
import { SshTransport } from "../transport/ssh";

type Runner = (argv: string[]) => Promise<void>;

interface Method {
  name: string;
  setup(connection: LabConnection): Promise<{ run: Runner; teardown(): Promise<void> }>;
}

function connect(c: LabConnection): Promise<Client> {
  const pin = parseHostKeyPin(c.hostKey);
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once("ready", () => resolve(client));
    client.once("error", reject);
    client.connect({
      host: c.host,
      port: c.port,
      username: c.user,
      privateKey: c.privateKey,
      hostVerifier: (key: Buffer) => pinMatches(pin, key),
    });
  });
}

function exec(client: Client, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec(formatArgv(argv), (err, channel) => {
      if (err) return reject(err);
      let code: number | undefined;
      channel.on("exit", (c: number) => (code = c));
      channel.on("data", () => undefined);
      channel.stderr.on("data", () => undefined);
      channel.on("close", () => (code === 0 ? resolve() : reject(new Error(`${formatArgv(argv)}: exit ${code}`))));
    });
  });
}

const methods: Method[] = [
  {
    name: "new connection per command",
    setup: async (c) => ({
      run: async (argv) => {
        const client = await connect(c);
        try {
          await exec(client, argv);
        } finally {
          client.end();
        }
      },
      teardown: async () => undefined,
    }),
  },
  {
    name: "new exec channel per command",
    setup: async (c) => {
      const client = await connect(c);
      return { run: (argv) => exec(client, argv), teardown: async () => void client.end() };
    },
  },
  {
    name: "ovslab persistent shell",
    setup: async (c) => {
      const transport = new SshTransport(c);
      return {
        run: async (argv) => {
          const r = await transport.run({ argv });
          if (r.code !== 0) throw new Error(`${formatArgv(argv)}: exit ${r.code}: ${r.stderr}`);
        },
        teardown: async () => {
          const s = transport.stats();
          console.error(
            `  ovslab stats: ${s.connectionsOpened} connection(s), ${s.channelsOpened} channel(s), ${s.commandsRun} commands`,
          );
          await transport.close();
        },
      };
    },
  },
];

const commands: string[][] = [["true"], ["ovs-vsctl", "--format=json", "list", "Bridge"]];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(
  method: Method,
  connection: LabConnection,
  argv: string[],
  n: number,
): Promise<{ median: number; p90: number }> {
  const { run, teardown } = await method.setup(connection);
  try {
    await run(argv); // warm-up: first connection, first channel, page cache
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await run(argv);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return { median: percentile(times, 50), p90: percentile(times, 90) };
  } finally {
    await teardown();
  }
}

const ms = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(2)) + " ms";

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 50);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`commands per cell must be a positive integer, got ${process.argv[2]}`);
  console.error(`starting a throwaway lab host...`);
  let lab: LabHost | undefined;
  try {
    lab = await startLabHost();
    await lab.sh(["ovs-vsctl", "add-br", "br-int", "--", "set", "Bridge", "br-int", "datapath_type=netdev"]);
    await lab.sh(["ovs-vsctl", "add-br", "br-ex", "--", "set", "Bridge", "br-ex", "datapath_type=netdev"]);
    const results = new Map<string, { median: number; p90: number }>();
    for (const argv of commands) {
      for (const method of methods) {
        console.error(`  ${method.name}: ${formatArgv(argv)} x ${n}`);
        results.set(`${method.name}|${argv.join(" ")}`, await measure(method, lab.connection, argv, n));
      }
    }
    const ours = methods[methods.length - 1]!.name;
    const header = ["method", ...commands.map((a) => formatArgv(a))];
    const rows = methods.map((m) => [
      m.name,
      ...commands.map((argv) => {
        const r = results.get(`${m.name}|${argv.join(" ")}`)!;
        const base = results.get(`${ours}|${argv.join(" ")}`)!;
        return `${ms(r.median)} / ${ms(r.p90)}  x${(r.median / base.median).toFixed(1)}`;
      }),
    ]);
    const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ");
    console.log(
      `\nSSH transport, lab VM on loopback: time per command, median / p90, xN = median vs ovslab (${n} commands per cell)\n`,
    );
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
    for (const row of rows) console.log(line(row));
  } finally {
    await lab?.stop();
  }
}

main().catch((err: Error) => {
  console.error(`bench:transport failed: ${err.message}`);
  process.exitCode = 1;
});
