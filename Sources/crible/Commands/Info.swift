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
    var quantization: String
    var multiLabel: Bool
    var thresholds: [String: Double]?
    var labels: [String]
    var hyperparameters: [String: Double]
    var pipeline: TextPipeline.Configuration
    var unicodeVersion: String
    var weighting: FeatureWeighting
    var features: Int
    var vocabulary: Bool
    var parameters: Int
    var provenance: Provenance?

    enum CodingKeys: String, CodingKey {
      case file, algorithm, quantization, labels, thresholds
      case multiLabel = "multi_label"
      case hyperparameters, pipeline, parameters, provenance,
        weighting
      case features, vocabulary
      case fileBytes = "file_bytes"
      case unicodeVersion = "unicode_version"
    }
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let classifier = try ModelFile.load(path: model)
      let size = (try? FileManager.default.attributesOfItem(atPath: model)[.size] as? Int) ?? 0
      let configuration = classifier.pipeline.configuration
      var thresholds: [String: Double]?
      if case .oneVsRest(_, let settings) = classifier.estimator {
        thresholds = Dictionary(uniqueKeysWithValues: zip(classifier.labels, settings.thresholds))
      }
      let description = Description(
        file: model, fileBytes: size, algorithm: classifier.estimator.algorithmName,
        quantization: classifier.quantization.rawValue, multiLabel: classifier.isMultiLabel,
        thresholds: thresholds,
        labels: classifier.labels, hyperparameters: classifier.estimator.hyperparameters,
        pipeline: configuration, unicodeVersion: TextNormalizer.unicodeVersion,
        weighting: classifier.weighting, features: classifier.linearModel.featureCount,
        vocabulary: classifier.vocabulary != nil,
        parameters: classifier.linearModel.weights.count + classifier.linearModel.bias.count,
        provenance: classifier.provenance)
      if json {
        print(jsonText(description, pretty: true))
      } else {
        print(Self.text(description))
      }
    }
  }

  /// A hyper-parameter as people write it: `500` and `50` rather than `500.0`, `1e-05` as is,
  /// and at most six significant digits (`-0.507782`, not `-0.5077824592590332`).
  static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15
      ? String(Int64(value)) : String(format: "%.6g", value)
  }

  /// `key value, key value, ...`, in key order, with each value written by `format`.
  static func listed<Value>(_ pairs: [String: Value], _ format: (Value) -> String) -> String {
    pairs.sorted { $0.key < $1.key }.map { "\($0.key) \(format($0.value))" }
      .joined(separator: ", ")
  }

  static func text(_ d: Description) -> String {
    let n = d.pipeline.normalization
    let t = d.pipeline.tokenization
    let f = d.pipeline.features
    let steps: [(Bool, String)] = [
      (n.compatibilityCaseFolding, "NFKC_Casefold"), (n.straightenApostrophes, "apostrophes"),
      (n.simplifyChinese, "traditional→simplified"), (n.foldAccents, "accents"),
      (n.collapseWhitespace, "whitespace"), (n.mapLookAlikes, "look-alikes"),
      (n.squeezeElongation, "elongation"), (n.joinHanAcrossSeparators, "Han joined"),
      (t.placeholders, "placeholders"), (t.numberPlaceholders, "<num>"),
      (t.hyphenatedCompounds, "compounds"), (t.numbersAsHan, "numbers as Han in Chinese"),
    ]
    let w = d.weighting
    var lines = [
      "model        \(d.file) (\(d.fileBytes) bytes)",
      "algorithm    \(d.algorithm) (\(Self.listed(d.hyperparameters, Self.number)))\(d.quantization == "none" ? "" : ", \(d.quantization) weights")",
      "labels       \(d.labels.joined(separator: ", "))\(d.thresholds.map { t in " (multi-label, one-vs-rest; thresholds " + d.labels.map { "\($0) \(t[$0] ?? 0.5)" }.joined(separator: ", ") + ")" } ?? "")",
      "parameters   \(d.parameters) (\(d.features) \(d.vocabulary ? "vocabulary features, from 2^\(f.bucketBits) buckets" : "hashed buckets") × \(d.labels.count) labels)",
      "normalise    \(steps.filter(\.0).map(\.1).joined(separator: ", ")) (Unicode \(d.unicodeVersion))",
      "features     Han \(f.hanNGrams.lowerBound)-\(f.hanNGrams.upperBound)-grams, words\(f.wordNGrams > 1 ? " with 2-\(f.wordNGrams)-grams" : ""), subwords \(f.subwordNGrams.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "none"), symbols \(f.symbols ? "on" : "off")\(f.numberSubwords ? ", number subwords" : "")\(f.phonePrefixes ? ", phone prefixes" : "")\(f.urlDomains ? ", URL domains" : "")\(f.endOfMessage ? ", </s> ending every message" : "")",
      "weighting    tf \(w.termFrequency.rawValue)\(w.inverseDocumentFrequency ? ", idf" : "")\(w.l2Normalize ? ", l2" : "")\(w.l1Normalize ? ", l1" : "")",
    ]
    if let t = d.provenance {
      lines.append(
        "trained on   \(t.files.joined(separator: ", ")) (\(t.format), \(t.examples) examples)")
      lines.append(
        "label counts \(Self.listed(t.labelCounts) { String($0) })"
      )
      if let weights = t.classWeights {
        lines.append(
          "class weight \(Self.listed(weights) { String(format: "%.4g", $0) })"
        )
      }
      lines.append("training     \(formatSeconds(t.seconds)) with Crible \(t.cribleVersion)")
    }
    return lines.joined(separator: "\n")
  }
}
