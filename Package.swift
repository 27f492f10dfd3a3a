// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "haywire",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "haywire", targets: ["haywire"]),
        .executable(name: "haywire-bench", targets: ["haywire-bench"]),
        .library(name: "Haywire", targets: ["Haywire"]),
        .library(name: "VCSConfig", targets: ["VCSConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibvirt",
            pkgConfig: "libvirt",
            providers: [.apt(["libvirt-dev"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .target(name: "Libvirt", dependencies: ["CLibvirt"]),
        .target(name: "VCSConfig", resources: [.copy("Resources")]),
        .target(name: "VCSSemantics", dependencies: ["VCSConfig"]),
        .target(
            name: "Simulator",
            dependencies: [
                "VCSConfig", "VCSSemantics", "Libvirt",
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "Haywire",
            dependencies: ["Simulator", "VCSConfig", "VCSSemantics", "Libvirt", "CZlib", "CDeflate", "Yams"]
        ),
        .target(name: "Bench", dependencies: ["Haywire", "VCSConfig", "Libvirt", "CLibvirt"]),
        .executableTarget(
            name: "haywire",
            dependencies: [
                "Haywire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "haywire-bench",
            dependencies: ["Bench", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "haywire-parse-bench", dependencies: ["VCSConfig"], path: "Benchmarks/ParseBenchmark"),
        .testTarget(name: "LibvirtTests", dependencies: ["Libvirt"]),
        .testTarget(name: "VCSConfigTests", dependencies: ["VCSConfig"], exclude: ["Corpus"]),
        .testTarget(name: "VCSSemanticsTests", dependencies: ["VCSSemantics", "VCSConfig"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "VCSConfig", "VCSSemantics", "Libvirt"]),
        .testTarget(
            name: "HaywireTests", dependencies: ["Haywire", "VCSSemantics"],
            exclude: ["Fixtures", "Suite/Corpus", "Suite/RealYAML", "Properties/Regressions"]
        ),
        .testTarget(name: "haywireCLITests", dependencies: ["haywire", "haywire-bench", "Haywire"]),
    ]
)
