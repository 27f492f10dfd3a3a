/// haywire's own definitions of the bundled agents it knows, used when a
/// main.cf's `include "types.cf"` cannot be found (users often copy a
/// main.cf without the rest of its config directory). Written from the
/// agents' documented attributes; a real types.cf, when present, wins.
enum BundledTypes {
    static let text = """
        type Application (
            static str ArgList[] = { State, IState, User, StartProgram, StopProgram, CleanProgram, MonitorProgram, PidFiles, MonitorProcesses }
            str User = root
            str StartProgram
            str StopProgram
            str CleanProgram
            str MonitorProgram
            str PidFiles[]
            str MonitorProcesses[]
            boolean UseSUDash = 0
            str EnvFile
        )
        type Mount (
            static str ArgList[] = { MountPoint, BlockDevice, FSType, MountOpt, FsckOpt, SnapUmount, CkptUmount }
            str MountPoint
            str BlockDevice
            str FSType
            str MountOpt
            str FsckOpt
            int SnapUmount = 0
            int CkptUmount = 1
            boolean VxFSMountLock = 1
            str CreateMntPt = 0
        )
        type DiskGroup (
            static str ArgList[] = { DiskGroup, StartVolumes, StopVolumes, MonitorOnly, MonitorReservation, PanicSystemOnDGLoss }
            str DiskGroup
            boolean StartVolumes = 1
            boolean StopVolumes = 1
            boolean MonitorReservation = 0
            int PanicSystemOnDGLoss = 0
            str DiskGroupType = private
            boolean UmountVolumes = 0
        )
        type Volume (
            static str ArgList[] = { Volume, DiskGroup }
            str Volume
            str DiskGroup
        )
        type Process (
            static str ArgList[] = { PathName, Arguments }
            str PathName
            str Arguments
        )
        type NIC (
            static str ArgList[] = { Device, PingOptimize, NetworkHosts, NetworkType }
            static int OfflineMonitorInterval = 60
            static str Operations = None
            str Device
            int PingOptimize = 1
            str NetworkHosts[]
            str NetworkType
        )
        type IP (
            static str ArgList[] = { Device, Address, NetMask, PrefixLen, Options }
            str Device
            str Address
            str NetMask
            int PrefixLen = 1000
            str Options
        )
        type RemoteGroup (
            static str ArgList[] = { IpAddress, Port, Username, Password, GroupName, VCSSysName, ControlMode, OfflineWaitTime, DomainType, BrokerIp }
            str IpAddress
            int Port = 14141
            str Username
            str Password
            str GroupName
            str VCSSysName
            str ControlMode
            int OfflineWaitTime
            str DomainType
            str BrokerIp
            static int MonitorInterval = 10
        )
        type Proxy (
            static str ArgList[] = { TargetResName, TargetSysName }
            static str Operations = None
            str TargetResName
            str TargetSysName
        )
        type Phantom (
            static str Operations = None
        )
        """
}
