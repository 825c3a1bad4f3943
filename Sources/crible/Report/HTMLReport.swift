import Classification
import Foundation

/// One self-contained HTML page of an evaluation.
///
/// The metrics, a confusion-matrix heat map, and each label's precision-recall and ROC curves,
/// as inline SVG. Nothing is loaded from the network and no script runs.
struct HTMLReport {
  var title: String
  var model: String
  var data: String
  var report: ClassificationReport
  var truth: [Int]
  var probabilities: [[Double]]
  /// The threshold marked on each label's curves.
  var thresholds: [String: Double]

  /// A point of a curve, with the threshold that gives it.
  struct Point {
    var x: Double
    var y: Double
    var threshold: Double
  }

  /// ROC (false-positive rate, true-positive rate) and precision-recall (recall, precision)
  /// points of one label, one per distinct score, from the highest down.
  static func curves(scores: [Double], positives: [Bool]) -> (roc: [Point], pr: [Point]) {
    let positiveCount = positives.filter { $0 }.count
    let negativeCount = positives.count - positiveCount
    guard positiveCount > 0 && negativeCount > 0 else { return ([], []) }
    var roc = [Point(x: 0, y: 0, threshold: 1)]
    var pr: [Point] = []
    for point in Metrics.operatingPoints(scores: scores, positives: positives) {
      let recall = Double(point.truePositives) / Double(positiveCount)
      roc.append(
        Point(
          x: Double(point.falsePositives) / Double(negativeCount), y: recall,
          threshold: point.threshold))
      pr.append(
        Point(
          x: recall,
          y: Double(point.truePositives) / Double(point.truePositives + point.falsePositives),
          threshold: point.threshold))
    }
    return (roc, pr)
  }

  /// At most `limit` points, evenly spread, keeping the first and the last.
  static func thin(_ points: [Point], limit: Int = 400) -> [Point] {
    guard points.count > limit else { return points }
    let step = Double(points.count - 1) / Double(limit - 1)
    return (0..<limit).map { points[Int((Double($0) * step).rounded())] }
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static func fixed(_ value: Double?) -> String {
    value.map { String(format: "%.4f", $0) } ?? "–"
  }

  /// A square plot of a curve in the unit square, with its threshold marked.
  func plot(
    _ points: [Point], xLabel: String, yLabel: String, diagonal: Bool, mark: Double,
    caption: String
  ) -> String {
    let size = 260.0
    let margin = 40.0
    func px(_ x: Double) -> Double { margin + x * size }
    func py(_ y: Double) -> Double { margin + (1 - y) * size }
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size + 2 * margin))\" height=\"\(Int(size + 2 * margin))\" role=\"img\" aria-label=\"\(Self.escape(caption))\">"
    svg +=
      "<rect x=\"\(margin)\" y=\"\(margin)\" width=\"\(size)\" height=\"\(size)\" fill=\"#fafafa\" stroke=\"#999\"/>"
    for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
      svg +=
        "<line x1=\"\(px(tick))\" y1=\"\(py(0))\" x2=\"\(px(tick))\" y2=\"\(py(1))\" stroke=\"#e4e4e4\"/>"
        + "<line x1=\"\(px(0))\" y1=\"\(py(tick))\" x2=\"\(px(1))\" y2=\"\(py(tick))\" stroke=\"#e4e4e4\"/>"
        + "<text x=\"\(px(tick))\" y=\"\(py(0) + 14)\" font-size=\"10\" text-anchor=\"middle\">\(String(format: "%.2g", tick))</text>"
        + "<text x=\"\(px(0) - 6)\" y=\"\(py(tick) + 3)\" font-size=\"10\" text-anchor=\"end\">\(String(format: "%.2g", tick))</text>"
    }
    if diagonal {
      svg +=
        "<line x1=\"\(px(0))\" y1=\"\(py(0))\" x2=\"\(px(1))\" y2=\"\(py(1))\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>"
    }
    let line = Self.thin(points).map { String(format: "%.1f,%.1f", px($0.x), py($0.y)) }
      .joined(separator: " ")
    svg += "<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"\(line)\"/>"
    // The threshold: the first point whose threshold is at or below it.
    if let marked = points.first(where: { $0.threshold <= mark }) {
      svg +=
        "<circle cx=\"\(px(marked.x))\" cy=\"\(py(marked.y))\" r=\"5\" fill=\"#d9480f\"><title>threshold \(String(format: "%.3f", mark)): (\(String(format: "%.3f", marked.x)), \(String(format: "%.3f", marked.y)))</title></circle>"
        + "<text x=\"\(px(marked.x) + 8)\" y=\"\(py(marked.y) - 8)\" font-size=\"11\" fill=\"#d9480f\">t = \(String(format: "%.2f", mark))</text>"
    }
    svg +=
      "<text x=\"\(px(0.5))\" y=\"\(py(0) + 30)\" font-size=\"12\" text-anchor=\"middle\">\(xLabel)</text>"
      + "<text transform=\"translate(\(px(0) - 30),\(py(0.5))) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">\(yLabel)</text>"
    return svg + "</svg>"
  }

  /// The confusion matrix as a heat map, each row shaded by its share.
  func heatMap() -> String {
    let labels = report.labels
    let cell = labels.count > 12 ? 28.0 : 56.0
    let left = 12.0 + 7.0 * Double(labels.map(\.count).max() ?? 5)
    let top = left
    let width = left + cell * Double(labels.count) + 20
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(top + cell * Double(labels.count) + 20))\" role=\"img\" aria-label=\"confusion matrix\">"
    for (row, actual) in labels.enumerated() {
      let total = max(1, report.confusionMatrix[row].reduce(0, +))
      svg +=
        "<text x=\"\(left - 6)\" y=\"\(top + cell * (Double(row) + 0.5) + 4)\" font-size=\"12\" text-anchor=\"end\">\(Self.escape(actual))</text>"
      for column in labels.indices {
        let count = report.confusionMatrix[row][column]
        let share = Double(count) / Double(total)
        let shade = Int(255 - share * 200)
        let colour =
          row == column ? "rgb(\(shade),\(min(255, shade + 30)),255)" : "rgb(255,\(shade),\(shade))"
        svg +=
          "<rect x=\(String(format: "\"%.1f\"", left + cell * Double(column))) y=\(String(format: "\"%.1f\"", top + cell * Double(row))) width=\"\(cell)\" height=\"\(cell)\" fill=\"\(colour)\" stroke=\"#fff\"><title>true \(Self.escape(actual)), predicted \(Self.escape(labels[column])): \(count) (\(String(format: "%.1f", share * 100))% of the row)</title></rect>"
        if labels.count <= 12 {
          svg +=
            "<text x=\"\(left + cell * (Double(column) + 0.5))\" y=\"\(top + cell * (Double(row) + 0.5) + 4)\" font-size=\"12\" text-anchor=\"middle\">\(count)</text>"
        }
      }
    }
    for (column, predicted) in labels.enumerated() {
      let x = left + cell * (Double(column) + 0.5)
      svg +=
        "<text transform=\"translate(\(x),\(top - 6)) rotate(-45)\" font-size=\"12\">\(Self.escape(predicted))</text>"
    }
    return svg + "</svg>"
  }

  /// The page.
  func html() -> String {
    var page = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>\(Self.escape(title))</title>
      <style>
      body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
      table { border-collapse: collapse; margin: 1em 0; }
      th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: right; }
      th:first-child, td:first-child { text-align: left; }
      .curves { display: flex; flex-wrap: wrap; gap: 1em; }
      figure { margin: 0; } figcaption { font-size: 13px; text-align: center; }
      .note { color: #555; font-size: 13px; }
      </style></head><body>
      <h1>\(Self.escape(title))</h1>
      <p>Model <code>\(Self.escape(model))</code> on <code>\(Self.escape(data))</code>: \(report.examples) examples, \(report.labels.count) labels. Written by Crible \(CribleVersion.current).</p>
      <h2>Metrics</h2>
      <table><tr><th>metric</th><th>value</th></tr>
      <tr><td>accuracy</td><td>\(Self.fixed(report.accuracy))</td></tr>
      <tr><td>macro F1</td><td>\(Self.fixed(report.macroF1))</td></tr>
      <tr><td>weighted F1</td><td>\(Self.fixed(report.weightedF1))</td></tr>
      <tr><td>micro F1</td><td>\(Self.fixed(report.microF1))</td></tr>
      <tr><td>log loss</td><td>\(Self.fixed(report.logLoss))</td></tr>

      """
    for (k, value) in (report.topKAccuracy ?? [:]).sorted(by: {
      Int($0.key) ?? 0 < Int($1.key) ?? 0
    }) {
      page += "<tr><td>top-\(k) accuracy</td><td>\(Self.fixed(value))</td></tr>\n"
    }
    page +=
      "</table>\n<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>ROC-AUC</th><th>average precision</th><th>threshold marked</th></tr>\n"
    for label in report.labels {
      guard let metrics = report.perLabel[label] else { continue }
      page +=
        "<tr><td>\(Self.escape(label))</td><td>\(Self.fixed(metrics.precision))</td><td>\(Self.fixed(metrics.recall))</td><td>\(Self.fixed(metrics.f1))</td><td>\(metrics.support)</td><td>\(Self.fixed(report.rocAUC?[label] ?? nil))</td><td>\(Self.fixed(report.averagePrecision?[label] ?? nil))</td><td>\(Self.fixed(thresholds[label] ?? 0.5))</td></tr>\n"
    }
    page +=
      "</table>\n<h2>Confusion matrix</h2>\n<p class=\"note\">Rows: true label; columns: predicted label; shade: share of the row.</p>\n"
    page += heatMap()
    page +=
      "\n<h2>Precision-recall and ROC curves</h2>\n<p class=\"note\">One-vs-rest, from each label's probability; the dot marks the label's threshold (its decision threshold in the model, else 0.5).</p>\n"
    for (index, label) in report.labels.enumerated() {
      let (roc, pr) = Self.curves(
        scores: probabilities.map { $0[index] }, positives: truth.map { $0 == index })
      guard !roc.isEmpty else { continue }
      let mark = thresholds[label] ?? 0.5
      page += "<h3>\(Self.escape(label))</h3>\n<div class=\"curves\">"
      page +=
        "<figure>"
        + plot(
          pr, xLabel: "recall", yLabel: "precision", diagonal: false, mark: mark,
          caption: "precision-recall curve of \(label)")
        + "<figcaption>precision-recall, AP \(Self.fixed(report.averagePrecision?[label] ?? nil))</figcaption></figure>"
      page +=
        "<figure>"
        + plot(
          roc, xLabel: "false-positive rate", yLabel: "true-positive rate", diagonal: true,
          mark: mark, caption: "ROC curve of \(label)")
        + "<figcaption>ROC, AUC \(Self.fixed(report.rocAUC?[label] ?? nil))</figcaption></figure>"
      page += "</div>\n"
    }
    return page + "</body></html>\n"
  }
}
