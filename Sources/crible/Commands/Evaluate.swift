import ArgumentParser
import Classification
import Foundation

/// `crible evaluate`: measure a model on labelled data.
struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure a model on labelled messages: accuracy, per-label metrics, confusion matrix."
  )

  @Option(name: .shortAndLong, help: "The model file.")
  var model: String

  @Argument(help: "The labelled test file (`-` for standard input).")
  var file: String

  @Option(help: "The line format of the test file: auto, tsv or fasttext.")
  var format: LabeledCorpus.Format = .auto

  @Flag(
    help: "Print one JSON object (accuracy, macro_f1, weighted_f1, per_label, confusion_matrix).")
  var json = false

  @OptionGroup var threading: ThreadOptions

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let classifier = try ModelFile.load(path: model)
      let corpus = try LabeledCorpus.load(
        path: file, format: format, labels: classifier.labels, multiLabel: classifier.isMultiLabel)
      if classifier.isMultiLabel {
        let report = Evaluator.evaluateMultiLabel(
          classifier, on: corpus, threads: threading.threads)
        print(json ? Self.json(report) : Self.table(report))
        return
      }
      let report = Evaluator.evaluate(classifier, on: corpus, threads: threading.threads)
      print(json ? Self.json(report) : Self.table(report))
    }
  }

  static func json<Report: Encodable>(_ report: Report) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // A report holds only finite numbers, strings and integers: encoding cannot fail.
    return (try? String(decoding: encoder.encode(report), as: UTF8.self)) ?? "{}"
  }

  static func table(_ report: MultiLabelReport) -> String {
    let width = max(12, report.labels.map(\.count).max() ?? 0)
    func pad(_ text: String, _ n: Int) -> String {
      text + String(repeating: " ", count: max(0, n - text.count))
    }
    func left(_ text: String, _ n: Int) -> String {
      String(repeating: " ", count: max(0, n - text.count)) + text
    }
    func fixed(_ value: Double) -> String { String(format: "%.4f", value) }
    var lines = [
      "examples         \(report.examples) (multi-label)",
      "subset accuracy  \(fixed(report.subsetAccuracy))",
      "Hamming loss     \(fixed(report.hammingLoss))",
      "micro P / R / F1 \(fixed(report.microPrecision)) / \(fixed(report.microRecall)) / \(fixed(report.microF1))",
      "macro F1         \(fixed(report.macroF1))",
      "",
      pad("label", width) + left("precision", 11) + left("recall", 9) + left("F1", 9)
        + left("support", 9),
    ]
    for label in report.labels {
      guard let m = report.perLabel[label] else { continue }
      lines.append(
        pad(label, width) + left(fixed(m.precision), 11) + left(fixed(m.recall), 9)
          + left(fixed(m.f1), 9) + left("\(m.support)", 9))
    }
    return lines.joined(separator: "\n")
  }

  static func table(_ report: ClassificationReport) -> String {
    let width = max(12, report.labels.map(\.count).max() ?? 0)
    func pad(_ text: String, _ n: Int) -> String {
      text + String(repeating: " ", count: max(0, n - text.count))
    }
    func left(_ text: String, _ n: Int) -> String {
      String(repeating: " ", count: max(0, n - text.count)) + text
    }
    func fixed(_ value: Double) -> String { String(format: "%.4f", value) }
    var lines = [
      "examples     \(report.examples)",
      "accuracy     \(fixed(report.accuracy))",
      "macro F1     \(fixed(report.macroF1))",
      "weighted F1  \(fixed(report.weightedF1))",
      "",
      pad("label", width) + left("precision", 11) + left("recall", 9) + left("F1", 9)
        + left("support", 9),
    ]
    for label in report.labels {
      guard let m = report.perLabel[label] else { continue }
      lines.append(
        pad(label, width) + left(fixed(m.precision), 11) + left(fixed(m.recall), 9)
          + left(fixed(m.f1), 9) + left("\(m.support)", 9))
    }
    lines.append("")
    lines.append("confusion matrix (rows: true label, columns: predicted)")
    lines.append(pad("", width) + report.labels.map { left($0, max(9, $0.count + 2)) }.joined())
    for (i, label) in report.labels.enumerated() {
      lines.append(
        pad(label, width)
          + report.labels.indices.map {
            left("\(report.confusionMatrix[i][$0])", max(9, report.labels[$0].count + 2))
          }
          .joined())
    }
    return lines.joined(separator: "\n")
  }
}
