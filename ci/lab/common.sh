# Shared names and helpers of the lab-in-a-box. Everything it makes carries
# the prefix "hwl" (namespaces, links) or lives under $LAB (files, mounts).
LAB=${HAYWIRE_LAB_DIR:-/var/tmp/haywire-lab}
CACHE=${HAYWIRE_LAB_CACHE:-/var/cache/haywire-lab}
PREFIX=hwl
SWITCH=${PREFIX}-sw
SUBNET=10.77.0
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
