// The bash script that becomes PID 1 of a lab VM. It lives in a TS string (not a .sh
// file) so that `tsc` output in dist/ carries it: startLabHost writes it into the VM's
// temp dir and runs it under `unshare`.

/**
 * Template tag for bash text: keeps backslashes as written (like String.raw) and turns
 * the escape `\${` back into the `${` that bash parameter expansion needs.
 */
function bash(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.raw.map((part, i) => part.replace(/\\\$\{/g, "\${") + (values[i] ?? "")).join("");
}

/** Tools whose every run is recorded in the VM's command log (see `SHIM_BODY`). */
export const LOGGED_TOOLS = [
  "ovs-vsctl",
  "ovsdb-client",
  "ovs-ofctl",
  "ovs-appctl",
  "ip",
  "iptables",
  "iptables-save",
  "iptables-restore",
  "sysctl",
] as const;

/**
 * Body of the shim /usr/local/sbin/TOOL (vm-init.sh prefixes the shebang and the
 * TOOL, LOG and REAL variables): appends its argv as one JSON array per line to the
 * command log, then execs the real tool. Root's PATH over SSH starts with
 * /usr/local/sbin, so every command a deployment runs passes through here.
 */
export const SHIM_BODY = bash`# ovslab lab VM: records this command line in the command log, then runs the real tool.
line=
for arg in "$TOOL" "$@"; do
  arg=\${arg//\\/\\\\}; arg=\${arg//\"/\\\"}
  arg=\${arg//$'\n'/\\n}; arg=\${arg//$'\t'/\\t}; arg=\${arg//$'\r'/\\r}
  if [[ $arg == *[[:cntrl:]]* ]]; then # rare: \u-escape the remaining control characters
    escaped=
    for ((i = 0; i < \${#arg}; i++)); do
      c=\${arg:i:1}
      [[ $c == [[:cntrl:]] ]] && printf -v c '\\u%04x' "'$c"
      escaped+=$c
    done
    arg=$escaped
  fi
  line+=\${line:+,}\"$arg\"
done
# One write(2) per line, so that lines appended at once (O_APPEND) stay whole: bash's printf
# writes 4 KiB at a time (1,000 characters are at most 4,000 bytes); dd writes its one block.
if ((\${#line} < 1000)); then
  printf '[%s]\n' "$line" 2>/dev/null >>"$LOG" || true
else
  dd bs=16M status=none oflag=append conv=notrunc of="$LOG" <<<"[$line]" 2>/dev/null || true
fi
exec "$REAL" "$@"
`;

/**
 * Usage: `vm-init.sh NAME DIR`, run by
 * `unshare --mount --uts --net --pid --fork --mount-proc --propagation private`.
 * Prepares a private /run, /var/log, /etc/openvswitch, /root and /usr/local/sbin,
 * starts OVS and sshd with their default paths, writes DIR/ready, then waits as the
 * VM's init (reaping orphans: this machine's PID 1 does not).
 */
export const VM_INIT_SCRIPT = bash`#!/bin/bash
set -euo pipefail
name=$1 dir=$2
# PID 1 of a namespace only gets signals it handles: handle them first. Leaving PID 1
# makes the kernel kill every process of the VM; the namespaces go with them.
trap 'rm -rf -- "$dir"; exit 0' TERM INT HUP
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
cd /

mount -t sysfs sysfs /sys # shows this VM's interfaces, not the machine's
# Only net.* sysctls are the VM's own (per network namespace); make the rest read-only so
# nothing run in the VM can change the machine's kernel settings.
mount --bind /proc/sys /proc/sys
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,ro /proc/sys
for d in /run /var/log /etc/openvswitch /usr/local/sbin /root; do
  mount -t tmpfs -o mode=0755 "ovslab-vm" "$d"
done
chmod 0700 /root
mkdir -p /run/openvswitch /run/netns /run/sshd /run/lock /var/log/openvswitch
hostname "$name"
ip link set lo up

shim=$(cat "$dir/shim.bash")
for tool in ${LOGGED_TOOLS.join(" ")}; do
  real=$(command -v "$tool")
  { printf '%s\n' '#!/bin/bash'
    printf 'TOOL=%q LOG=%q REAL=%q\n' "$tool" "$dir/commands.log" "$real"
    printf '%s\n' "$shim"; } >"/usr/local/sbin/$tool"
  chmod 0755 "/usr/local/sbin/$tool"
done

ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server /etc/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock \
  --remote=db:Open_vSwitch,Open_vSwitch,manager_options --pidfile --detach --log-file
ovs-vsctl --no-wait init
ovs-vswitchd --pidfile --detach --log-file
# Without --no-wait, ovs-vsctl waits until ovs-vswitchd has applied the change.
ovs-vsctl --timeout=20 set Open_vSwitch . external_ids:hostname="$name"

/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"

echo ready >"$dir/ready"
set +e
while :; do
  sleep infinity &
  wait $!
done
`;
