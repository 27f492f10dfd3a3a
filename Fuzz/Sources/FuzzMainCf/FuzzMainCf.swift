import VCSConfig

/// One main.cf: it must parse or give errors, never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMainCf(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        _ = try ConfigLoader.parse(text: text, file: "fuzz.cf")
    } catch {
        // Every error must render as one line.
        precondition(!error.description.isEmpty)
    }
    _ = Secrets.redact(text)
    return 0
}

// SwiftPM names an executable's entry point <module>_main; libFuzzer's
// driver runs from there.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzMainCf_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, arguments = argv
    return runFuzzerDriver(&count, &arguments) { fuzzMainCf($0, $1) }
}
