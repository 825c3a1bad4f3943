import Foundation
import Testing

@testable import Classification

@Suite struct ModelFileTests {
  @Test func roundTripKeepsEverything() throws {
    let classifier = try Fixtures.classifier()
    let bytes = ModelFile.encode(classifier)
    let loaded = try ModelFile.decode(bytes, source: "m.crible")
    #expect(loaded.labels == classifier.labels)
    #expect(loaded.estimator == classifier.estimator)
    #expect(loaded.pipeline.configuration == classifier.pipeline.configuration)
    #expect(loaded.provenance == classifier.provenance)
    #expect(loaded.linearModel.weights == classifier.linearModel.weights)
    for text in Fixtures.examples.map(\.1) {
      #expect(loaded.predict(text) == classifier.predict(text))
    }
    // Encoding is deterministic.
    #expect(ModelFile.encode(loaded) == bytes)
  }

  @Test func layoutMatchesTheSpecification() throws {
    let classifier = try Fixtures.classifier()
    let bytes = ModelFile.encode(classifier)
    #expect(Array(bytes[0..<8]) == [0x89, 0x43, 0x52, 0x49, 0x42, 0x4C, 0x45, 0x0A])
    #expect(bytes[8] == 1 && bytes[9] == 0 && bytes[10] == 0 && bytes[11] == 0)
    let headerLength =
      Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
    let header =
      try JSONSerialization.jsonObject(with: Data(bytes[16..<(16 + headerLength)]))
      as? [String: Any]
    #expect(header?["algorithm"] as? String == classifier.estimator.algorithmName)
    #expect(header?["labels"] as? [String] == ["offensive", "safe"])
    // The trailer is zlib's CRC-32 of everything before it; "123456789" has the check value 0xCBF43926.
    let check = Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) }
    #expect(check == 0xCBF4_3926)
    let stored =
      UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
      | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
    #expect(stored == bytes.dropLast(4).withUnsafeBytes { CRC32.checksum($0) })
  }

  func refusal(_ bytes: [UInt8]) -> String? {
    do {
      _ = try ModelFile.decode(bytes, source: "m.crible")
      return nil
    } catch {
      return error.kind == .badModel ? error.message : "wrong kind \(error.kind)"
    }
  }

  @Test func refusesDamagedFiles() throws {
    let bytes = ModelFile.encode(try Fixtures.classifier())
    #expect(refusal([]) != nil)
    #expect(
      refusal(Array("label\ttext\n".utf8))?.contains("does not start with the Crible magic") == true
    )
    #expect(refusal(Array(bytes.dropLast(100)))?.contains("checksum does not match") == true)
    // Every single-bit flip anywhere in the file is caught.
    for position in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
      var flipped = bytes
      flipped[position] ^= 0x10
      #expect(refusal(flipped) != nil, "bit flip at \(position) was not detected")
    }
  }

  @Test func refusesAnUnknownVersion() throws {
    var bytes = ModelFile.encode(try Fixtures.classifier())
    bytes[8] = 2
    bytes = ModelFileSurgery.rechecksummed(bytes)
    #expect(refusal(bytes)?.contains("format version 2") == true)
    #expect(refusal(bytes)?.contains("Upgrade Crible") == true)
  }

  /// A pipeline option this Crible does not know (written by a newer one) would change the
  /// features: the file is refused, not read without it.
  @Test func refusesAnUnknownPipelineOption() throws {
    let bytes = try ModelFileSurgery.renaming(
      "phonePrefixes", to: "phoneSuffixes", in: ModelFile.encode(try Fixtures.classifier()))
    let message = refusal(bytes)
    #expect(message?.contains("pipeline.features has the option phoneSuffixes") == true)
    #expect(message?.contains("Upgrade Crible") == true)
    // Every option this Crible writes, it knows.
    #expect(ModelFile.knownOptions.allSatisfy { !$0.keys.isEmpty })
    #expect(refusal(ModelFile.encode(try Fixtures.classifier())) == nil)
  }

  /// Naive Bayes scores with its hyper-parameters when loaded: one this Crible does not know
  /// is refused too.
  @Test func refusesAnUnknownNaiveBayesHyperparameter() throws {
    let corpus = try Fixtures.corpus()
    var options = TrainingOptions(algorithm: .naiveBayes)
    options.smoothingCandidates = nil
    let classifier = try Trainer.train([corpus], options: options)
    let bytes = ModelFile.encode(classifier)
    #expect(refusal(bytes) == nil)
    #expect(
      refusal(try ModelFileSurgery.renaming("prior_shift", to: "prior_shaft", in: bytes))?.contains(
        "hyper-parameters have prior_shaft") == true)
  }

  @Test func savesAtomicallyAndLoadsFromDisk() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("m.crible").path
    let classifier = try Fixtures.classifier()
    try ModelFile.save(classifier, to: path)
    try ModelFile.save(classifier, to: path)  // replacing an existing model works too
    let entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(entries == ["m.crible"])  // no temporary file left behind
    #expect(try ModelFile.load(path: path).estimator == classifier.estimator)
  }

  @Test func missingFileIsAnOpenError() {
    #expect {
      try ModelFile.load(path: "/nonexistent/m.crible")
    } throws: { ($0 as? CribleError)?.kind == .cannotOpen }
  }

  @Test func unwritableDestinationIsAWriteError() throws {
    let classifier = try Fixtures.classifier()
    #expect {
      try ModelFile.save(classifier, to: "/nonexistent/folder/m.crible")
    } throws: { ($0 as? CribleError)?.kind == .cannotWrite }
  }
}
