# Shared names and helpers of the lab-in-a-box. Everything it makes carries
# the prefix "hwl" (namespaces, links) or lives under $LAB (files, mounts).
LAB=${HAYWIRE_LAB_DIR:-/var/tmp/haywire-lab}
CACHE=${HAYWIRE_LAB_CACHE:-/var/cache/haywire-lab}
# The nested lab (ci/lab/nested) sets its own prefix and subnet.
PREFIX=${HAYWIRE_LAB_PREFIX:-hwl}
SWITCH=${PREFIX}-sw
SUBNET=${HAYWIRE_LAB_SUBNET:-10.77.0}
CLUSTER_NAME=hwlab
GUEST=vm1
GUEST_MAC=52:54:00:77:00:01
GUEST_UUID=6a1f4e2c-77a0-4c1e-9b7e-0000000000a1
# A second guest, a standalone VirtualDomain primitive (no disk, no group).
GUEST2=vm2
GUEST2_MAC=52:54:00:77:00:02
GUEST2_UUID=6a1f4e2c-77a0-4c1e-9b7e-0000000000a2
# A third guest, a real Debian guest (ci/lab/guest-image node) that is a
# Pacemaker guest node: pacemaker-remoted inside, ocf:haywire:hwapp on it.
GUEST3=vm3
GUEST3_MAC=52:54:00:77:00:03
GUEST3_UUID=6a1f4e2c-77a0-4c1e-9b7e-0000000000a3
GUEST3_IP=$SUBNET.31
# Its Pacemaker node name: a guest node may not share its resource's id.
GUEST3_NODE=$GUEST3-node
# The cluster inside guests (topology 1, ci/lab/cluster-guests): one guest
# per host, vmcN on labN at $SUBNET.4N, fenced through the power relay that
# listens on the switch at $RELAY_IP.
CLUSTER_GUEST_PREFIX=vmc
RELAY_IP=$SUBNET.254
MOUNT_POINT=/run/vmstore
# Where each host's Pacemaker alert agent appends its events (inside the host).
ALERT_LOG=/var/log/pacemaker/haywire-alerts.log
LAB_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

host_name() { echo "lab$1"; }
host_netns() { echo "${PREFIX}-h$1"; }
host_dir() { echo "$LAB/$(host_name "$1")"; }
host_count() { cat "$LAB/hosts" 2>/dev/null || echo 0; }

log() { printf '[lab %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs a command inside host N's container (all its namespaces).
in_host() {
  local n=$1; shift
  local pid
  pid=$(cat "$(host_dir "$n")/init.pid" 2>/dev/null) || return 1
  nsenter --target "$pid" --net --mount --uts --pid -- "$@"
}

# Runs shell text inside guest GUEST on host N through its qemu guest agent
# (guest-exec, the text as the shell's stdin): prints its stdout, returns its
# exit status, or 1 when the agent does not answer within 20 s.
in_guest() {  # N GUEST TEXT
  local uri="qemu+unix:///system?socket=$(host_dir "$1")/run-libvirt/libvirt-sock" reply pid status code
  reply=$(virsh -c "$uri" qemu-agent-command "$2" --timeout 5 "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\",\"arg\":[\"-s\"],\"input-data\":\"$(printf '%s\n' "$3" | base64 -w0)\",\"capture-output\":true}}" 2>/dev/null) || return 1
  pid=$(echo "$reply" | grep -o '"pid":[0-9]*' | cut -d: -f2)
  for _ in $(seq 1 100); do
    status=$(virsh -c "$uri" qemu-agent-command "$2" --timeout 5 "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":$pid}}" 2>/dev/null) || return 1
    if echo "$status" | grep -q '"exited":true'; then
      echo "$status" | grep -o '"out-data":"[^"]*"' | cut -d'"' -f4 | base64 -d
      code=$(echo "$status" | grep -o '"exitcode":[0-9]*' | cut -d: -f2)
      return "${code:-1}"
    fi
    sleep 0.2
  done
  return 1
}

# One guest-exec through a qemu guest agent's own socket (a guest run by
# plain qemu, without libvirt): prints the command's stdout.
agent_socket_run() {  # SOCKET COMMAND
  python3 - "$1" "$2" <<'PY'
import base64, json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
def ask(request):
    s.sendall((json.dumps(request) + "\n").encode())
    reply = b""
    while not reply.endswith(b"\n"):
        reply += s.recv(65536)
    return json.loads(reply)["return"]
pid = ask({"execute": "guest-exec", "arguments": {"path": "/bin/sh", "arg": ["-c", sys.argv[2]], "capture-output": True}})["pid"]
deadline = time.time() + 20
while time.time() < deadline:
    status = ask({"execute": "guest-exec-status", "arguments": {"pid": pid}})
    if status["exited"]:
        print(base64.b64decode(status.get("out-data", "")).decode(), end="")
        break
    time.sleep(0.1)
PY
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND until it succeeds or
# the deadline passes; a deadline, not a sleep.
wait_for() {
  local what=$1 limit=$2; shift 2
  local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s%N)" -ge "$deadline" ]; then
      log "timed out after ${limit}s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}
