// Lab VMs must not outlive the process that started them. Three layers, because Node
// runs no JavaScript when it is killed by a signal:
//  1. stop(): the orderly path, awaited by tests and the CLI.
//  2. A process 'exit' handler (normal exit, uncaught exception, process.exit): kills
//     every live VM synchronously by PID and removes its temp dir.
//  3. The kernel: each VM and relay runs under `setpriv --pdeathsig KILL unshare
//     --kill-child`, so when this process dies in any way, even SIGKILL, the VM's PID 1
//     gets TERM (it removes the temp dir and exits, and the kernel kills the rest of
//     its PID namespace) and the relay gets KILL.

/** What the exit handler needs from a live VM. */
export interface Killable {
  /** Ends everything at once, synchronously; never throws. */
  killNow(): void;
}

const live = new Set<Killable>();
let installed = false;

function killAll(): void {
  for (const vm of live) vm.killNow();
  live.clear();
}

/** Registers a VM for the exit handler until `untrack`. */
export function track(vm: Killable): void {
  if (!installed) {
    process.on("exit", killAll);
    installed = true;
  }
  live.add(vm);
}

export function untrack(vm: Killable): void {
  live.delete(vm);
}
