# Writes one host's configuration into its folder (sourced by ci/lab/up).

write_libvirt_config() {  # DIR
  local d=$1
  cp -a /etc/libvirt "$d/etc-libvirt"
  rm -f "$d"/etc-libvirt/qemu/*.xml "$d"/etc-libvirt/qemu/networks/*.xml
  rm -rf "$d"/etc-libvirt/qemu/networks/autostart "$d"/etc-libvirt/qemu/autostart
  cat >> "$d/etc-libvirt/qemu.conf" <<CONF

# haywire lab-in-a-box
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
CONF
  mkdir -p "$d/etc-libvirt/haywire"
  # vm1 has its disk on the shared storage; vm2 runs from its initramfs alone.
  local disk="    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$MOUNT_POINT/$GUEST.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>"
  write_domain "$GUEST" "$GUEST_UUID" "$GUEST_MAC" "$disk" > "$d/etc-libvirt/haywire/$GUEST.xml"
  write_domain "$GUEST2" "$GUEST2_UUID" "$GUEST2_MAC" "" > "$d/etc-libvirt/haywire/$GUEST2.xml"
  # vm3 boots the shared read-only guest-node image; its agent is the guest shell.
  local root="    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$CACHE/guest-node.img'/>
      <target dev='vda' bus='virtio'/>
      <readonly/>
    </disk>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
  write_domain "$GUEST3" "$GUEST3_UUID" "$GUEST3_MAC" "$root" 512 "$CACHE/initrd-rootfs.gz" \
    "haywire.name=$GUEST3 haywire.ip=$GUEST3_IP/24" > "$d/etc-libvirt/haywire/$GUEST3.xml"
}

write_domain() {  # NAME UUID MAC DEVICES_XML [MiB INITRD CMDLINE]: a lab guest's domain, opted in to haywire
  cat <<XML
<domain type='qemu'>
  <name>$1</name>
  <uuid>$2</uuid>
  <memory unit='MiB'>${5:-128}</memory>
  <metadata><haywire:allowed xmlns:haywire="https://haywire.invalid/ns/opt-in/1"/></metadata>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$CACHE/vmlinuz</kernel>
    <initrd>${6:-$CACHE/initrd.gz}</initrd>
    <cmdline>console=ttyS0 quiet unknown_nmi_panic=1 panic=1${7:+ $7}</cmdline>
  </os>
  <features><acpi/></features>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
${4:+$4
}    <interface type='bridge'>
      <mac address='$3'/>
      <source bridge='br0'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'><source path='/var/log/libvirt/qemu/$1.console'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}

write_corosync_config() {  # DIR HOSTS
  local d=$1 n=$2 i
  {
    cat <<CONF
totem {
    version: 2
    cluster_name: $CLUSTER_NAME
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: 1000
}
quorum {
    provider: corosync_votequorum
}
logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: hires
}
nodelist {
CONF
    for i in $(seq 1 "$n"); do
      cat <<CONF
    node {
        ring0_addr: $SUBNET.$i
        name: $(host_name "$i")
        nodeid: $i
    }
CONF
    done
    echo "}"
  } > "$d/etc-corosync/corosync.conf"
}

write_cib() {  # DIR HOSTS LOOP_DEVICE
  local d=$1
  cp -a /var/lib/pacemaker "$d/var-lib-pacemaker"
  print_cib "$2" "$3" > "$d/var-lib-pacemaker/cib/cib.xml"
  chown hacluster:haclient "$d/var-lib-pacemaker/cib/cib.xml"
  chmod 600 "$d/var-lib-pacemaker/cib/cib.xml"
}

virtual_domain() {  # NAME INDENT [META_XML]: a lab guest as a VirtualDomain primitive, in its liveness check
  sed "s/^/$2/" <<XML
<primitive id="$1" class="ocf" provider="heartbeat" type="VirtualDomain">${3:+
$3}
  <instance_attributes id="$1-attrs">
    <nvpair id="$1-config" name="config" value="/etc/libvirt/haywire/$1.xml"/>
    <nvpair id="$1-hypervisor" name="hypervisor" value="qemu:///system"/>
    <nvpair id="$1-force-stop" name="force_stop" value="true"/>
    <nvpair id="$1-monitor-scripts" name="monitor_scripts" value="$LAB_TOOLS/guest-alive"/>
  </instance_attributes>
  <operations>
    <op id="$1-monitor" name="monitor" interval="2s" timeout="30s"/>
    <op id="$1-start" name="start" interval="0s" timeout="60s"/>
    <op id="$1-stop" name="stop" interval="0s" timeout="60s"/>
  </operations>
</primitive>
XML
}

print_cib() {  # HOSTS LOOP_DEVICE: the lab's CIB, as every host starts with it
  local n=$1 loop=$2 i
  local locations=""
  for i in $(seq 1 "$n"); do
    locations+="      <rsc_location id=\"prefer-$(host_name "$i")\" rsc=\"vmgrp\" node=\"$(host_name "$i")\" score=\"$(( 100 - (i - 1) * 10 ))\"/>"$'\n'
    # vm2 prefers the next host round: lab2, then lab3, then lab1.
    locations+="      <rsc_location id=\"$GUEST2-prefers-$(host_name "$i")\" rsc=\"$GUEST2\" node=\"$(host_name "$i")\" score=\"$(( 100 - ((i + n - 2) % n) * 10 ))\"/>"$'\n'
    # vm3 prefers the host after that: lab3, then lab1, then lab2.
    locations+="      <rsc_location id=\"$GUEST3-prefers-$(host_name "$i")\" rsc=\"$GUEST3\" node=\"$(host_name "$i")\" score=\"$(( 100 - ((i + n - 3) % n) * 10 ))\"/>"$'\n'
  done
  cat <<XML
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-dc-deadtime" name="dc-deadtime" value="3s"/>
        <nvpair id="opt-startup-fencing" name="startup-fencing" value="false"/>
        <nvpair id="opt-stonith-enabled" name="stonith-enabled" value="true"/>
        <nvpair id="opt-stonith-timeout" name="stonith-timeout" value="30s"/>
        <nvpair id="opt-recheck" name="cluster-recheck-interval" value="1min"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <primitive id="power" class="stonith" type="fence_haywire">
        <instance_attributes id="power-attrs">
          <nvpair id="power-hosts" name="pcmk_host_list" value="$(for i in $(seq 1 "$n"); do printf '%s ' "$(host_name "$i")"; done)"/>
        </instance_attributes>
        <operations>
          <op id="power-monitor" name="monitor" interval="60s"/>
        </operations>
      </primitive>
      <group id="vmgrp">
        <primitive id="vmstore" class="ocf" provider="heartbeat" type="Filesystem">
          <instance_attributes id="vmstore-attrs">
            <nvpair id="vmstore-device" name="device" value="$loop"/>
            <nvpair id="vmstore-directory" name="directory" value="$MOUNT_POINT"/>
            <nvpair id="vmstore-fstype" name="fstype" value="ext4"/>
          </instance_attributes>
          <operations>
            <op id="vmstore-monitor" name="monitor" interval="2s" timeout="20s"/>
          </operations>
        </primitive>
$(virtual_domain "$GUEST" "        ")
      </group>
$(virtual_domain "$GUEST2" "      ")
$(virtual_domain "$GUEST3" "      " "  <meta_attributes id=\"$GUEST3-meta\">
    <nvpair id=\"$GUEST3-remote-node\" name=\"remote-node\" value=\"$GUEST3_NODE\"/>
    <nvpair id=\"$GUEST3-remote-addr\" name=\"remote-addr\" value=\"$GUEST3_IP\"/>
  </meta_attributes>")
      <primitive id="app" class="ocf" provider="haywire" type="hwapp">
        <meta_attributes id="app-meta">
          <nvpair id="app-migration-threshold" name="migration-threshold" value="INFINITY"/>
        </meta_attributes>
        <operations>
          <op id="app-monitor" name="monitor" interval="2s" timeout="20s"/>
        </operations>
      </primitive>
      <clone id="dummy-clone">
        <primitive id="dummy" class="ocf" provider="pacemaker" type="Dummy">
          <operations>
            <op id="dummy-monitor" name="monitor" interval="10s" timeout="20s"/>
          </operations>
        </primitive>
      </clone>
    </resources>
    <constraints>
$locations$(for rsc in vmgrp "$GUEST2" dummy-clone; do cat <<RULE
      <rsc_location id="$rsc-on-hosts" rsc="$rsc" resource-discovery="never">
        <rule id="$rsc-on-hosts-rule" score="-INFINITY">
          <expression id="$rsc-on-hosts-kind" attribute="#kind" operation="ne" value="cluster"/>
        </rule>
      </rsc_location>
RULE
done)
      <rsc_location id="app-on-guest-nodes" rsc="app" resource-discovery="never">
        <rule id="app-on-guest-nodes-rule" score="-INFINITY">
          <expression id="app-on-guest-nodes-kind" attribute="#kind" operation="ne" value="container"/>
        </rule>
      </rsc_location>
      <rsc_colocation id="$GUEST2-with-dummy" rsc="$GUEST2" with-rsc="dummy-clone" score="INFINITY"/>
      <rsc_order id="dummy-before-$GUEST2" first="dummy-clone" then="$GUEST2" kind="Optional"/>
    </constraints>
    <alerts>
      <alert id="haywire" path="$LAB/alert-agent">
        <meta_attributes id="haywire-alert-meta">
          <nvpair id="haywire-alert-timestamp" name="timestamp-format" value="%s.%06N"/>
        </meta_attributes>
        <recipient id="haywire-alert-file" value="$ALERT_LOG"/>
      </alert>
    </alerts>
    <rsc_defaults>
      <meta_attributes id="rsc-options">
        <nvpair id="rsc-migration-threshold" name="migration-threshold" value="1"/>
        <nvpair id="rsc-stickiness" name="resource-stickiness" value="200"/>
      </meta_attributes>
    </rsc_defaults>
  </configuration>
  <status/>
</cib>
XML
}
