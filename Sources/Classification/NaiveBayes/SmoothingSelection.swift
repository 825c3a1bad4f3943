/// Chooses the smoothing of naive Bayes by stratified k-fold cross-validation on the training
/// data, as scikit-learn users do with `GridSearchCV`, but from counts alone.
///
/// Naive Bayes's counts add, so the model of the data outside fold `k` is the total counts
/// minus fold `k`'s: every candidate is scored on every fold without extracting or counting
/// anything twice. The candidate with the best macro-F1 over the pooled held-out predictions
/// wins (on a tie, the one listed first).
public struct SmoothingSelection: Sendable, Equatable, Codable {
  /// The candidates tried when the user gives no α.
  public static let defaultCandidates: [Double] = [0.03, 0.1, 0.3, 1, 3]
  /// The number of folds.
  public static let defaultFolds = 5

  /// The candidates, in the order tried.
  public var candidates: [Double]
  /// The pooled held-out macro-F1 of each candidate.
  public var macroF1: [Double]
  /// The chosen α.
  public var alpha: Double

  enum CodingKeys: String, CodingKey {
    case candidates, alpha
    case macroF1 = "macro_f1"
  }

  /// The examples the selection scores: one weighted vector per example (raw counts are a
  /// vector whose repeated indices each have value 1).
  struct Examples {
    var offsets: [Int] = [0]
    var indices: [UInt32] = []
    var values: [Float] = []
    var labels: [Int] = []
    var weights: [Double] = []

    mutating func append(
      indices: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Float>?, label: Int,
      weight: Double
    ) {
      self.indices.append(contentsOf: indices)
      if let values {
        self.values.append(contentsOf: values)
      } else {
        self.values.append(contentsOf: repeatElement(1, count: indices.count))
      }
      offsets.append(self.indices.count)
      labels.append(label)
      weights.append(weight)
    }

    var count: Int { labels.count }
  }

  /// Runs the selection.
  ///
  /// - Parameters:
  ///   - examples: The training examples, as counted into `total`.
  ///   - total: The counts of all of them.
  ///   - candidates: The α values to try.
  ///   - folds: The number of folds (at least 2).
  ///   - model: Turns counts and an α into the scorer (multinomial or complement).
  /// - Returns: Every candidate's held-out macro-F1, and the best candidate.
  static func select(
    examples: Examples, total: MultinomialNaiveBayes, candidates: [Double], folds: Int,
    model: @Sendable (MultinomialNaiveBayes, Double) -> LinearModel
  ) -> SmoothingSelection {
    precondition(!candidates.isEmpty && folds >= 2, "SmoothingSelection: nothing to try")
    let classes = total.classCount
    // Stratified folds: the j-th example of each label goes to fold j mod k.
    var seen = [Int](repeating: 0, count: classes)
    var fold = [Int](repeating: 0, count: examples.count)
    for example in 0..<examples.count {
      fold[example] = seen[examples.labels[example]] % folds
      seen[examples.labels[example]] += 1
    }
    // confusion[candidate][truth * classes + predicted]
    var confusion = [[Double]](
      repeating: [Double](repeating: 0, count: classes * classes), count: candidates.count)
    for k in 0..<folds {
      var held = MultinomialNaiveBayes(classCount: classes, featureCount: total.featureCount)
      let members = (0..<examples.count).filter { fold[$0] == k }
      if members.isEmpty { continue }
      examples.indices.withUnsafeBufferPointer { indices in
        examples.values.withUnsafeBufferPointer { values in
          for example in members {
            let range = examples.offsets[example]..<examples.offsets[example + 1]
            held.add(
              indices: UnsafeBufferPointer(rebasing: indices[range]),
              values: UnsafeBufferPointer(rebasing: values[range]), label: examples.labels[example],
              weight: examples.weights[example])
          }
        }
      }
      let rest = total.removing(held)
      var results = [[Double]](repeating: [], count: candidates.count)
      results.withUnsafeMutableBufferPointer { results in
        Parallelism.forEach(candidates.count) { candidate in
          let scorer = model(rest, candidates[candidate])
          var counts = [Double](repeating: 0, count: classes * classes)
          var scores = [Double](repeating: 0, count: classes)
          examples.indices.withUnsafeBufferPointer { indices in
            examples.values.withUnsafeBufferPointer { values in
              for example in members {
                let range = examples.offsets[example]..<examples.offsets[example + 1]
                scores.withUnsafeMutableBufferPointer {
                  scorer.scores(
                    indices: UnsafeBufferPointer(rebasing: indices[range]),
                    values: UnsafeBufferPointer(rebasing: values[range]), into: $0)
                }
                var best = 0
                for c in 1..<classes where scores[c] > scores[best] { best = c }
                counts[examples.labels[example] * classes + best] += 1
              }
            }
          }
          results[candidate] = counts
        }
      }
      for candidate in candidates.indices {
        for i in 0..<(classes * classes) { confusion[candidate][i] += results[candidate][i] }
      }
    }
    let macroF1 = confusion.map { Self.macroF1($0, classes: classes) }
    var best = 0
    for candidate in candidates.indices where macroF1[candidate] > macroF1[best] {
      best = candidate
    }
    return SmoothingSelection(candidates: candidates, macroF1: macroF1, alpha: candidates[best])
  }

  /// The mean F1 over the labels that occur (as truth or prediction), as scikit-learn's
  /// `f1_score(average="macro")` computes it on the labels present.
  static func macroF1(_ confusion: [Double], classes: Int) -> Double {
    var sum = 0.0
    var present = 0
    for c in 0..<classes {
      let truePositives = confusion[c * classes + c]
      var predicted = 0.0
      var actual = 0.0
      for other in 0..<classes {
        predicted += confusion[other * classes + c]
        actual += confusion[c * classes + other]
      }
      guard predicted + actual > 0 else { continue }
      present += 1
      sum += 2 * truePositives / (predicted + actual)
    }
    return present > 0 ? sum / Double(present) : 0
  }
}
