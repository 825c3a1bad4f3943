import Testing

@testable import Classification

@Suite struct ClassificationReportTests {
  /// y_true = [0, 0, 0, 1, 1, 2], y_pred = [0, 0, 1, 1, 2, 2]; scikit-learn's
  /// classification_report gives precision (1, .5, .5), recall (2/3, .5, 1),
  /// F1 (.8, .5, 2/3), accuracy 4/6.
  @Test func matchesScikitLearnDefinitions() {
    var matrix = ConfusionMatrix(labels: ["a", "b", "c"])
    for (actual, predicted) in zip([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]) {
      matrix.record(actual: actual, predicted: predicted)
    }
    let report = ClassificationReport(matrix)
    #expect(abs(report.accuracy - 4.0 / 6) < 1e-12)
    #expect(abs(report.perLabel["a"]!.precision - 1) < 1e-12)
    #expect(abs(report.perLabel["a"]!.recall - 2.0 / 3) < 1e-12)
    #expect(abs(report.perLabel["a"]!.f1 - 0.8) < 1e-12)
    #expect(abs(report.perLabel["b"]!.f1 - 0.5) < 1e-12)
    #expect(abs(report.perLabel["c"]!.f1 - 2.0 / 3) < 1e-12)
    #expect(abs(report.macroF1 - (0.8 + 0.5 + 2.0 / 3) / 3) < 1e-12)
    #expect(abs(report.weightedF1 - (0.8 * 3 + 0.5 * 2 + 2.0 / 3) / 6) < 1e-12)
    #expect(report.confusionMatrix == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
    #expect(report.perLabel["b"]!.support == 2)
  }

  @Test func zeroDivisionGivesZero() {
    var matrix = ConfusionMatrix(labels: ["a", "b"])
    matrix.record(actual: 0, predicted: 0)
    let report = ClassificationReport(matrix)
    #expect(report.perLabel["b"] == .init(precision: 0, recall: 0, f1: 0, support: 0))
  }

  @Test func evaluatorCountsEveryExample() throws {
    let classifier = try Fixtures.classifier()
    let corpus = try LabeledCorpus(
      texts: Fixtures.examples.map(\.1), labels: Fixtures.examples.map(\.0),
      labelSet: classifier.labels)
    let report = Evaluator.evaluate(classifier, on: corpus, threads: 2)
    #expect(report.examples == Fixtures.examples.count)
    #expect(report.accuracy > 0.9)  // the training data itself
  }
}
