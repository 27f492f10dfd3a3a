import Haywire
import VCSConfig

/// One suite file (its main.cf cannot be found, so loading stops there or
/// earlier): it must load or give one error, never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSuite(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        _ = try SuiteLoader.load(text: text, file: "/nonexistent/fuzz.yaml")
    } catch {
        precondition(!error.description.isEmpty)
    }
    return 0
}

// SwiftPM names an executable's entry point <module>_main; libFuzzer's
// driver runs from there.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzSuite_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, arguments = argv
    return runFuzzerDriver(&count, &arguments) { fuzzSuite($0, $1) }
}
