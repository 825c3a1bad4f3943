import Foundation
import Testing

@testable import Classification

@Suite struct OnlineTrainerTests {
  func writeCorpus(_ lines: [String]) throws -> (URL, String) {
    let directory = Fixtures.temporaryDirectory()
    let path = directory.appendingPathComponent("train.tsv").path
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    return (directory, path)
  }

  static let lines = (0..<20).flatMap { round in
    Fixtures.examples.map { "\($0.0)\t\($0.1) \(round % 3)" }
  }

  @Test func streamsDeterministicallyBySeed() throws {
    let (directory, path) = try writeCorpus(Self.lines)
    defer { try? FileManager.default.removeItem(at: directory) }
    let options = TrainingOptions(algorithm: .logisticRegression, threads: 1)
    func train(seed: UInt64) throws -> TextClassifier {
      try Trainer.trainOnline(
        path: path, format: .auto, options: options, online: OnlineSettings(epochs: 3, seed: seed),
        blockSize: 512)
    }
    let first = try train(seed: 7)
    let again = try train(seed: 7)
    let other = try train(seed: 8)
    #expect(first.estimator == again.estimator)
    #expect(first.estimator != other.estimator)
    #expect(first.labels == ["offensive", "safe"])
    #expect(first.provenance?.examples == Self.lines.count)
    #expect(first.predict("你这个垃圾蠢货").label == "offensive")
    #expect(first.predict("merci pour ton aide").label == "safe")
    let loaded = try ModelFile.decode(ModelFile.encode(first), source: "m.crible")
    #expect(loaded.predict("垃圾") == first.predict("垃圾"))
  }

  /// The online solver takes logistic regression's default class weights (balanced) and
  /// records them, as in-memory training does; uniform weights leave no record.
  @Test func recordsItsClassWeights() throws {
    // Three "offensive" lines for one "safe".
    let lines = (0..<40).map { $0 % 4 == 0 ? "safe\tmerci \($0)" : "offensive\tnul \($0)" }
    let (directory, path) = try writeCorpus(lines)
    defer { try? FileManager.default.removeItem(at: directory) }
    var options = TrainingOptions(algorithm: .logisticRegression, threads: 1)
    func weights() throws -> [String: Double]? {
      try Trainer.trainOnline(
        path: path, format: .tsv, options: options, online: OnlineSettings(epochs: 1),
        blockSize: 512
      ).provenance?.classWeights
    }
    // n / (labels · n_label): 40 / (2 · 30) and 40 / (2 · 10).
    let balanced = try #require(try weights())
    #expect(abs(balanced["offensive", default: 0] - 2.0 / 3) < 1e-6 && balanced["safe"] == 2)
    options.classWeights = .uniform
    #expect(try weights() == nil)
  }

  @Test func errorsNameTheLineAcrossBlocks() throws {
    var lines = Self.lines
    lines[250] = "sans tabulation"
    let (directory, path) = try writeCorpus(lines)
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect {
      try Trainer.trainOnline(
        path: path, format: .tsv, options: TrainingOptions(algorithm: .logisticRegression),
        online: OnlineSettings(epochs: 1), blockSize: 300)
    } throws: { "\($0)".contains("Line 251 of \(path) has no tab") }
  }

  @Test func refusesBadSettings() {
    #expect(OnlineSettings(epochs: 0).validationError() != nil)
    #expect(OnlineSettings(batchSize: 0).validationError() != nil)
    #expect(OnlineSettings(learningRate: 0).validationError() != nil)
  }
}
