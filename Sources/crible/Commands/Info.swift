import ArgumentParser
import Classification
import Foundation
import Tokenization

/// `crible info`: describe a model file.
struct Info: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Describe a model: algorithm, labels, hyper-parameters, pipeline, sizes, training data.")

  @Argument(help: "The model file.")
  var model: String

  @Flag(help: "Print one JSON object.")
  var json = false

  struct Description: Encodable {
    var file: String
    var fileBytes: Int
    var algorithm: String
    var labels: [String]
    var hyperparameters: [String: Double]
    var pipeline: PipelineDescription
    var parameters: Int
    var provenance: Provenance?

    enum CodingKeys: String, CodingKey {
      case file, algorithm, labels, hyperparameters, pipeline, parameters, provenance
      case fileBytes = "file_bytes"
    }
  }

  struct PipelineDescription: Encodable {
    var compatibilityCaseFolding: Bool
    var straightenApostrophes: Bool
    var hanNGrams: [Int]
    var wordNGrams: Int
    var subwordNGrams: [Int]?
    var symbols: Bool
    var bucketBits: Int
    var unicodeVersion: String

    enum CodingKeys: String, CodingKey {
      case symbols
      case compatibilityCaseFolding = "nfkc_casefold"
      case straightenApostrophes = "straighten_apostrophes"
      case hanNGrams = "han_ngrams"
      case wordNGrams = "word_ngrams"
      case subwordNGrams = "subword_ngrams"
      case bucketBits = "bucket_bits"
      case unicodeVersion = "unicode_version"
    }
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let classifier = try ModelFile.load(path: model)
      let size = (try? FileManager.default.attributesOfItem(atPath: model)[.size] as? Int) ?? 0
      let configuration = classifier.pipeline.configuration
      let description = Description(
        file: model, fileBytes: size, algorithm: classifier.estimator.algorithmName,
        labels: classifier.labels, hyperparameters: classifier.estimator.hyperparameters,
        pipeline: PipelineDescription(
          compatibilityCaseFolding: configuration.normalization.compatibilityCaseFolding,
          straightenApostrophes: configuration.normalization.straightenApostrophes,
          hanNGrams: [
            configuration.features.hanNGrams.lowerBound,
            configuration.features.hanNGrams.upperBound,
          ],
          wordNGrams: configuration.features.wordNGrams,
          subwordNGrams: configuration.features.subwordNGrams.map {
            [$0.lowerBound, $0.upperBound]
          },
          symbols: configuration.features.symbols, bucketBits: configuration.features.bucketBits,
          unicodeVersion: TextNormalizer.unicodeVersion),
        parameters: classifier.linearModel.weights.count + classifier.linearModel.bias.count,
        provenance: classifier.provenance)
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print((try? String(decoding: encoder.encode(description), as: UTF8.self)) ?? "{}")
      } else {
        print(Self.text(description))
      }
    }
  }

  static func text(_ d: Description) -> String {
    let p = d.pipeline
    var lines = [
      "model        \(d.file) (\(d.fileBytes) bytes)",
      "algorithm    \(d.algorithm) (\(d.hyperparameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))",
      "labels       \(d.labels.joined(separator: ", "))",
      "parameters   \(d.parameters) (2^\(p.bucketBits) feature buckets × \(d.labels.count) labels)",
      "normalise    NFKC_Casefold \(p.compatibilityCaseFolding ? "on" : "off"), apostrophes \(p.straightenApostrophes ? "on" : "off") (Unicode \(p.unicodeVersion))",
      "features     Han \(p.hanNGrams[0])-\(p.hanNGrams[1])-grams, words\(p.wordNGrams > 1 ? " with 2-\(p.wordNGrams)-grams" : ""), subwords \(p.subwordNGrams.map { "\($0[0])-\($0[1])" } ?? "none"), symbols \(p.symbols ? "on" : "off")",
    ]
    if let t = d.provenance {
      lines.append(
        "trained on   \(t.files.joined(separator: ", ")) (\(t.format), \(t.examples) examples)")
      lines.append(
        "label counts \(t.labelCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
      )
      lines.append("training     \(formatSeconds(t.seconds)) with Crible \(t.cribleVersion)")
    }
    return lines.joined(separator: "\n")
  }
}
