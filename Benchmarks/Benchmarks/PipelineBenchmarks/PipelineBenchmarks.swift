import Benchmark
import Classification
import Foundation
import Tokenization

/// Messages to measure on, cut into slices of about one megabyte of UTF-8, so that one
/// benchmark iteration is one megabyte and iterations per second read as MB/s.
struct Corpus: @unchecked Sendable {
  /// Each slice: the bytes of its messages and where each message ends.
  let slices: [(bytes: [UInt8], ends: [Int])]

  static let shared = Corpus()

  init() {
    let environment = ProcessInfo.processInfo.environment
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let path =
      environment["CRIBLE_BENCH_MIX"]
      ?? root.appendingPathComponent("Datasets/samples/messages.txt").path
    let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data("加微信领红包\n".utf8)
    var slices: [(bytes: [UInt8], ends: [Int])] = []
    var bytes: [UInt8] = []
    var ends: [Int] = []
    // Cycle over the file until there are 8 MB of slices (a small file repeats).
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    var index = 0
    while slices.count < 8 {
      let line = lines[index % lines.count]
      bytes.append(contentsOf: line)
      ends.append(bytes.count)
      if bytes.count >= 1 << 20 {
        slices.append((bytes, ends))
        bytes = []
        ends = []
      }
      index += 1
    }
    self.slices = slices
  }

  /// Calls `body` with each message of slice `i`.
  @inline(__always)
  func forEachMessage(inSlice i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    let slice = slices[i % slices.count]
    slice.bytes.withUnsafeBufferPointer { buffer in
      var start = 0
      for end in slice.ends {
        body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        start = end
      }
    }
  }
}

let benchmarks: @Sendable () -> Void = {
  let configuration = Benchmark.Configuration(
    metrics: [.throughput, .wallClock, .mallocCountTotal, .instructions],
    warmupIterations: 2, maxDuration: .seconds(3))
  let corpus = Corpus.shared
  let pipeline = TextPipeline()

  // The floor: decode UTF-8 and hash each scalar, nothing else.
  Benchmark("pipeline/decode-and-hash/1MB", configuration: configuration) { benchmark in
    for iteration in benchmark.scaledIterations {
      var state = StableHash.basis
      corpus.forEachMessage(inSlice: iteration) { bytes in
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
          state = StableHash.combine(state, scalar.value)
        }
      }
      blackHole(state)
    }
  }

  Benchmark("pipeline/normalize/1MB", configuration: configuration) { benchmark in
    var scalars: [UInt32] = []
    for iteration in benchmark.scaledIterations {
      corpus.forEachMessage(inSlice: iteration) {
        pipeline.normalizer.normalize($0, into: &scalars)
      }
      blackHole(scalars)
    }
  }

  Benchmark("pipeline/normalize+tokenize/1MB", configuration: configuration) { benchmark in
    var scalars: [UInt32] = []
    var tokens: [Token] = []
    for iteration in benchmark.scaledIterations {
      corpus.forEachMessage(inSlice: iteration) { bytes in
        pipeline.normalizer.normalize(bytes, into: &scalars)
        scalars.withUnsafeBufferPointer { pipeline.preTokenizer.tokenize($0, into: &tokens) }
      }
      blackHole(tokens)
    }
  }

  Benchmark("pipeline/features/1MB", configuration: configuration) { benchmark in
    var workspace = TextPipeline.Workspace()
    for iteration in benchmark.scaledIterations {
      corpus.forEachMessage(inSlice: iteration) {
        pipeline.extractFeatures(utf8: $0, into: &workspace)
      }
      blackHole(workspace.features)
    }
  }

  let noSubwords = TextPipeline(configuration: .init(features: .init(subwordNGrams: nil)))
  Benchmark("pipeline/features-without-subwords/1MB", configuration: configuration) { benchmark in
    var workspace = TextPipeline.Workspace()
    for iteration in benchmark.scaledIterations {
      corpus.forEachMessage(inSlice: iteration) {
        noSubwords.extractFeatures(utf8: $0, into: &workspace)
      }
      blackHole(workspace.features)
    }
  }

  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  if let classifier = try? ModelFile.load(
    path: root.appendingPathComponent("Models/offensive-zh-fr.crible").path)
  {
    Benchmark("classify/default-model/1MB", configuration: configuration) { benchmark in
      var workspace = TextClassifier.Workspace()
      for iteration in benchmark.scaledIterations {
        var labels = 0
        corpus.forEachMessage(inSlice: iteration) {
          labels &+= classifier.classify(utf8: $0, workspace: &workspace).label
        }
        blackHole(labels)
      }
    }
  }
}
