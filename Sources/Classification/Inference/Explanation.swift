import Tokenization

extension TextClassifier {
  /// One feature's share in a decision.
  public struct FeatureContribution: Sendable, Equatable {
    /// The feature in readable form (several forms joined by ` / ` when they share a bucket).
    public var feature: String
    /// How much the feature raised the label's score above the other labels' mean score.
    public var weight: Double
  }

  /// The features of `text` that weighed most toward `label`, strongest first.
  ///
  /// A feature's contribution is its value in the scored vector times its weight for `label`
  /// minus its mean weight over all labels, so that features every label weighs alike count
  /// for nothing. Only features that pushed toward `label` are listed. This builds strings and
  /// is meant for inspecting decisions, not for hot loops.
  ///
  /// - Parameters:
  ///   - text: The message.
  ///   - label: The index of the label to explain (usually the predicted one).
  ///   - count: The most features to list.
  /// - Returns: At most `count` features, by decreasing contribution.
  public func explain(_ text: String, label: Int, count: Int) -> [FeatureContribution] {
    precondition(label >= 0 && label < labels.count, "explain: label \(label) out of range")
    guard count > 0 else { return [] }
    // Readable names of every feature index the message has.
    var names: [UInt32: [String]] = [:]
    for detail in pipeline.featureDetails(text) {
      let index = vocabulary.map { $0.index(of: detail.bucket) } ?? detail.bucket
      guard let index else { continue }
      if !(names[index]?.contains(detail.text) ?? false) {
        names[index, default: []].append(detail.text)
      }
    }
    let classes = linearModel.classCount
    var contributions: [FeatureContribution] = []
    for (index, value) in featureVector(text) {
      let row = Int(index) * classes
      var mean = 0.0
      for c in 0..<classes { mean += Double(linearModel.weights[row + c]) }
      mean /= Double(classes)
      // A one-vs-rest column is its label's own log-odds; shared softmax scores count relative
      // to the other labels.
      let weight =
        Double(value) * (Double(linearModel.weights[row + label]) - (isMultiLabel ? 0 : mean))
      guard weight > 0 else { continue }
      contributions.append(
        FeatureContribution(
          feature: names[index]?.joined(separator: " / ") ?? "#\(index)", weight: weight))
    }
    contributions.sort {
      $0.weight > $1.weight || ($0.weight == $1.weight && $0.feature < $1.feature)
    }
    return Array(contributions.prefix(count))
  }
}
