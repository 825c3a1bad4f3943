// swift-tools-version: 6.1
//
// Crible: train, evaluate and run text classifiers for Chinese and French messaging text.
//
// The manifest reads as a table of contents: the public library modules first, then the
// implementation details that are never products, then the command-line tool, then the tests.
// Benchmarks live in a nested package (Benchmarks/Package.swift) so that `swift test` stays lean.

import PackageDescription

let package = Package(
  name: "crible",
  products: [
    .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    .library(name: "Tokenization", targets: ["Tokenization"]),
    .library(name: "Classification", targets: ["Classification"]),
    .executable(name: "crible", targets: ["crible"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
  ],
  targets: [
    // MARK: - Public API

    /// Dense and sparse linear algebra over Float; the only module that sees OpenBLAS.
    .target(
      name: "LinearAlgebra",
      dependencies: ["COpenBLAS"],
      exclude: ["README.md"]
    ),
    /// Normalisation, pre-tokenisation and hashed feature extraction on UTF-8 bytes.
    .target(
      name: "Tokenization",
      exclude: ["README.md"]
    ),
    /// Classifiers, corpus readers, model files, metrics and the batch-labelling engine.
    .target(
      name: "Classification",
      dependencies: [
        "LinearAlgebra",
        "Tokenization",
        "CribleSupport",
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      exclude: ["README.md"]
    ),

    // MARK: - Implementation details

    /// OpenBLAS's CBLAS interface, found through pkg-config (Debian: libopenblas-dev).
    .systemLibrary(
      name: "COpenBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),

    /// C helpers for hot loops (a cache prefetch hint); not a product.
    .target(name: "CribleSupport", exclude: ["README.md"]),

    /// Seeded random inputs and other helpers shared by the test bundles; not a product.
    .target(name: "_TestSupport", path: "Sources/_TestSupport"),

    // MARK: - Tools

    .executableTarget(
      name: "crible",
      dependencies: [
        "Classification",
        "Tokenization",
        "LinearAlgebra",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Unit test bundles

    .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "_TestSupport"]),
    .testTarget(name: "TokenizationTests", dependencies: ["Tokenization", "_TestSupport"]),
    .testTarget(
      name: "ClassificationTests",
      dependencies: [
        "Classification", "Tokenization", "LinearAlgebra", "CribleSupport", "_TestSupport",
      ]
    ),
    .testTarget(
      name: "CribleTests",
      dependencies: ["crible"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
