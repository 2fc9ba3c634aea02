// `ovslab-lab start [--name NAME]`: starts a throwaway lab VM, prints its connection as
// one line of JSON on stdout, keeps it running until SIGINT or SIGTERM, then stops it.
// Run as `node dist/lab/cli.js start` or `ts-node lab/cli.ts start`.
// The JSON holds the VM's private key: it is a throwaway key for a VM on this machine's
// loopback, and handing it to the caller (Pulumi config, ssh) is this command's job.
import { formatArgv } from "../core/shell";
import { LabHost, startLabHost } from "./host";

const USAGE = "usage: ovslab-lab start [--name NAME]";

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== "start") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let name: string | undefined;
  if (rest[0] === "--name" && rest.length === 2) name = rest[1];
  else if (rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  const vm = await startLabHost({ name });
  const stopped = waitForStopSignal(vm);
  process.stdout.write(
    JSON.stringify({
      name: vm.name,
      connection: vm.connection,
      hostKeyFingerprint: vm.hostKeyFingerprint,
      ssh: formatArgv(vm.sshCommand()),
    }) + "\n",
  );
  process.stderr.write(`lab host ${vm.name} is up on 127.0.0.1:${vm.connection.port}; Ctrl-C stops it\n`);
  return stopped;
}

/** Resolves with 0 once a signal arrived and the VM is stopped. */
function waitForStopSignal(vm: LabHost): Promise<number> {
  // The VM's child processes are unref'd; this timer is what keeps us running.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stderr.write(`lab host ${vm.name}: ${signal}, stopping\n`);
      clearInterval(keepAlive);
      vm.stop().then(() => resolve(0), reject);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`ovslab-lab: ${error.message}\n`);
      process.exit(1);
    },
  );
}
