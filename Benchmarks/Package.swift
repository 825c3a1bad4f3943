// swift-tools-version: 6.1
//
// Crible's benchmarks, a package of their own so that the main build and `swift test` never
// pull in the benchmark framework. Run from this folder:
//
//   swift package -c release benchmark --target PipelineBenchmarks
//
// CRIBLE_BENCH_MIX names the message file to measure on (one message per line, such as the mix
// that ../shared/tools/peers/throughput.py writes); without it, the shipped samples are used.

import PackageDescription

let package = Package(
  name: "crible-benchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "crible", path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "PipelineBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Tokenization", package: "crible"),
        .product(name: "Classification", package: "crible"),
      ],
      path: "Benchmarks/PipelineBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ],
  swiftLanguageModes: [.v6]
)
