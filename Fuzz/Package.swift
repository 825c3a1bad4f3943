// swift-tools-version: 6.1
//
// libFuzzer targets for Crible, a package of their own so that the main build never sees the
// fuzzing flags. `Fuzz/run.sh` builds them with `-sanitize=fuzzer,address` and runs each for a
// chosen time on the seed corpus in `Fuzz/Corpus/`.

import PackageDescription

let package = Package(
  name: "crible-fuzz",
  dependencies: [.package(name: "crible", path: "..")],
  targets: [
    .target(name: "FuzzSupport"),
    .executableTarget(
      name: "FuzzTextPipeline",
      dependencies: ["FuzzSupport", .product(name: "Tokenization", package: "crible")]),
    .executableTarget(
      name: "FuzzInputRecords",
      dependencies: ["FuzzSupport", .product(name: "Classification", package: "crible")]),
    .executableTarget(
      name: "FuzzModelFile",
      dependencies: ["FuzzSupport", .product(name: "Classification", package: "crible")]),
  ],
  swiftLanguageModes: [.v6]
)
