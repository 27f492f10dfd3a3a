// swift-tools-version: 6.0
// libFuzzer targets for haywire's parsers of untrusted text: main.cf,
// suite files and captured cluster status. Built and run by ci/fuzz:
//   swift build -c debug -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
import PackageDescription

let package = Package(
    name: "haywire-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "FuzzMainCf", dependencies: [.product(name: "VCSConfig", package: "main")]),
        .executableTarget(name: "FuzzSuite", dependencies: [.product(name: "Haywire", package: "main")]),
        .executableTarget(name: "FuzzStatus", dependencies: [.product(name: "Haywire", package: "main")]),
    ]
)
