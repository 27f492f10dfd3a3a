import Haywire

/// One captured status output, read as VCS's (hastatus -sum, hagrp -state,
/// hasys -state) and as Pacemaker's (crm_mon XML), and as a CIB for `haywire
/// plan`: each reads or gives an error, never crashes or hangs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStatus(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    for manager in [ClusterManager.vcs, .pacemaker] {
        do {
            let status = try ClusterStatus(capture: text, manager: manager)
            precondition(status.json.hasPrefix("{\"manager\": "))
            _ = status.lines
        } catch {
            precondition(!"\(error)".isEmpty)
        }
    }
    do { _ = try CIBPlanner(cib: text, source: "fuzz") } catch { precondition(!"\(error)".isEmpty) }
    return 0
}

// SwiftPM names an executable's entry point <module>_main; libFuzzer's
// driver runs from there.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzStatus_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, arguments = argv
    return runFuzzerDriver(&count, &arguments) { fuzzStatus($0, $1) }
}
