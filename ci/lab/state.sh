# Sourced after ci/lab/common.sh: reading the lab's state for the lab tier.

uri() { echo "qemu+unix:///system?socket=$(host_dir "$1")/run-libvirt/libvirt-sock"; }

link_down_somewhere() {
  for i in 1 2 3; do in_host "$i" ip -o link show eth0 2>/dev/null | grep -q 'state DOWN' && return 0; done
  return 1
}

uplinks_up() { ! link_down_somewhere; }

settled() {
  in_host 1 crm_mon -1 2>/dev/null | grep -q 'Online: \[ lab1 lab2 lab3 \]' || return 1
  local xml
  xml=$(in_host 1 crm_mon -1 --output-as=xml 2>/dev/null) || return 1
  echo "$xml" | grep -q 'resource id="vm1".*role="Started"' && echo "$xml" | grep -q 'resource id="vm2".*role="Started"' \
    && echo "$xml" | grep -q 'resource id="app".*role="Started"' \
    && [ "$(echo "$xml" | grep -c 'resource id="dummy".*role="Started"')" = 3 ]
}

# What must be as it was after any run: every host's links and bridge ports,
# and one running vm1 over one mounted store (where the cluster put them, and
# the guest's tap device with it, may differ).
lab_state() {
  for i in 1 2 3; do
    # A guest's tap device (vnetN) is its own: it goes where the guest goes.
    in_host "$i" ip -o link show | awk '$2 !~ /^vnet/ {print $2, $9, ($0 ~ /master/ ? "master" : "")}' | sed "s/^/lab$i /"
  done | sort
  local running=0 running2=0 mounted=0 i
  for i in 1 2 3; do
    [ "$(virsh -c "$(uri "$i")" domstate vm1 2>/dev/null | head -n 1)" = running ] && running=$((running + 1))
    [ "$(virsh -c "$(uri "$i")" domstate vm2 2>/dev/null | head -n 1)" = running ] && running2=$((running2 + 1))
    in_host "$i" grep -q " $MOUNT_POINT " /proc/mounts && mounted=$((mounted + 1))
  done
  echo "vm1 running on $running hosts; vm2 on $running2; $MOUNT_POINT mounted on $mounted"
}

# Settled as the cluster reports it, and as libvirt sees it: one vm1
# running over one mounted store (crm_mon reports a guest killed a moment ago
# as Started until its next monitor).
lab_steady() {
  settled && [ "$(lab_state | tail -n 1)" = "vm1 running on 1 hosts; vm2 on 1; $MOUNT_POINT mounted on 1" ]
}

# The host whose vm1 has its NIC link down, if any.
guest_link_down_host() {
  local i
  for i in 1 2 3; do
    virsh -c "$(uri "$i")" domif-getlink vm1 "$GUEST_MAC" 2>/dev/null | grep -q ' down' && { echo "$i"; return 0; }
  done
  return 1
}

libvirtd_stopped() { ! in_host "$1" kill -0 "$2" 2>/dev/null; }

# restart_libvirtd N: stops host N's libvirtd (its guests keep running) and
# starts it again, as a package upgrade would.
restart_libvirtd() {
  local n=$1 pid
  pid=$(in_host "$n" cat /run/libvirt/libvirtd.pid) || return 1
  in_host "$n" kill "$pid"
  wait_for "libvirtd on lab$n to stop" 30 libvirtd_stopped "$n" "$pid" || return 1
  in_host "$n" libvirtd -d -p /run/libvirt/libvirtd.pid || return 1
  wait_for "libvirtd on lab$n to answer" 30 virsh -c "$(uri "$n")" version
}
