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

  @Option(
    help:
      "Also write each example's true label index and every label's probability (17 digits), tab-separated, to this file."
  )
  var predictions: String?

  @Option(
    help:
      "Also write a self-contained HTML report (metrics, confusion heat map, precision-recall and ROC curves) to this file."
  )
  var report: String?

  @Flag(
    help:
      "Skip malformed lines and lines with labels the model does not know, and count them, instead of stopping at the first."
  )
  var skipInvalid = false

  @OptionGroup var threading: ThreadOptions

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let classifier = try ModelFile.load(path: model)
      let corpus = try LabeledCorpus.load(
        path: file, format: format, labels: classifier.labels, multiLabel: classifier.isMultiLabel,
        skipInvalid: skipInvalid)
      reportSkipped(corpus)
      if classifier.isMultiLabel {
        if self.report != nil || predictions != nil {
          throw CribleError(
            .badConfiguration,
            "--report and --predictions describe single-label models; \(model) is multi-label.")
        }
        let report = Evaluator.evaluateMultiLabel(
          classifier, on: corpus, threads: threading.threads)
        print(json ? jsonText(report) : Self.table(report))
        return
      }
      let probabilities = Evaluator.predictProbabilities(
        classifier, on: corpus, threads: threading.threads)
      let truth = (0..<corpus.count).map { corpus.label(at: $0) }
      let report = ClassificationReport(
        labels: classifier.labels, truth: truth, probabilities: probabilities)
      if let predictions {
        var text = ""
        for (actual, row) in zip(truth, probabilities) {
          text +=
            "\(actual)\t" + row.map { String(format: "%.17g", $0) }.joined(separator: "\t")
            + "\n"
        }
        do {
          try Data(text.utf8).write(to: URL(fileURLWithPath: predictions))
        } catch {
          throw CribleError(
            .cannotWrite, "Cannot write \(predictions): \(error.localizedDescription).")
        }
      }
      if let path = self.report {
        let page = HTMLReport(
          title: "Evaluation of \(URL(fileURLWithPath: model).lastPathComponent)", model: model,
          data: file, report: report, truth: truth, probabilities: probabilities,
          thresholds: classifier.decisionThresholds
        ).html()
        do {
          try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
          throw CribleError(.cannotWrite, "Cannot write \(path): \(error.localizedDescription).")
        }
      }
      print(json ? jsonText(report) : Self.table(report))
    }
  }

  /// `text` padded with spaces on the right (`left: false`) or the left to `width` characters.
  static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let spaces = String(repeating: " ", count: max(0, width - text.count))
    return left ? spaces + text : text + spaces
  }

  static func fixed(_ value: Double) -> String { String(format: "%.4f", value) }

  /// The per-label rows: precision, recall, F1 and support, then `extra` columns.
  static func labelRows(
    _ labels: [String], _ perLabel: [String: ClassificationReport.LabelMetrics], width: Int,
    extra: [(name: String, value: (String) -> String)] = []
  ) -> [String] {
    var rows = [
      pad("label", width) + pad("precision", 11, left: true) + pad("recall", 9, left: true)
        + pad("F1", 9, left: true) + pad("support", 9, left: true)
        + extra.map { pad($0.name, 9, left: true) }.joined()
    ]
    for label in labels {
      guard let m = perLabel[label] else { continue }
      rows.append(
        pad(label, width) + pad(fixed(m.precision), 11, left: true)
          + pad(fixed(m.recall), 9, left: true) + pad(fixed(m.f1), 9, left: true)
          + pad("\(m.support)", 9, left: true)
          + extra.map { pad($0.value(label), 9, left: true) }.joined())
    }
    return rows
  }

  static func table(_ report: MultiLabelReport) -> String {
    let width = max(12, report.labels.map(\.count).max() ?? 0)
    let lines =
      [
        "examples         \(report.examples) (multi-label)",
        "subset accuracy  \(fixed(report.subsetAccuracy))",
        "Hamming loss     \(fixed(report.hammingLoss))",
        "micro P / R / F1 \(fixed(report.microPrecision)) / \(fixed(report.microRecall)) / \(fixed(report.microF1))",
        "macro F1         \(fixed(report.macroF1))",
        "",
      ] + labelRows(report.labels, report.perLabel, width: width)
    return lines.joined(separator: "\n")
  }

  static func table(_ report: ClassificationReport) -> String {
    let width = max(12, report.labels.map(\.count).max() ?? 0)
    func left(_ text: String, _ n: Int) -> String { pad(text, n, left: true) }
    var lines =
      [
        "examples     \(report.examples)",
        "accuracy     \(fixed(report.accuracy))",
        "macro F1     \(fixed(report.macroF1))",
        "weighted F1  \(fixed(report.weightedF1))",
        "log loss     \(report.logLoss.map(fixed) ?? "-")",
        "",
      ]
      + labelRows(
        report.labels, report.perLabel, width: width,
        extra: [
          ("ROC-AUC", { (report.rocAUC?[$0] ?? nil).map(fixed) ?? "-" }),
          ("AP", { (report.averagePrecision?[$0] ?? nil).map(fixed) ?? "-" }),
        ])
    if let topK = report.topKAccuracy, !topK.isEmpty {
      lines.append("")
      lines.append(
        "top-k accuracy  "
          + topK.keys.sorted { Int($0) ?? 0 < Int($1) ?? 0 }.map {
            "k=\($0) \(fixed(topK[$0] ?? 0))"
          }
          .joined(separator: ", "))
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
