/// Chooses the smoothing of naive Bayes by stratified k-fold cross-validation on the training
/// data, as scikit-learn users do with `GridSearchCV`, but from counts alone.
///
/// Naive Bayes's counts add, so the model of the data outside fold `k` is the total counts
/// minus fold `k`'s: every candidate is scored on every fold without extracting or counting
/// anything twice. The candidate with the best macro-F1 over the pooled held-out predictions
/// wins (on a tie, the one listed first).
///
/// With two labels it can also choose a prior shift with each candidate
/// (``MultinomialNaiveBayes/Configuration/priorShift``; for complement naive Bayes,
/// ``TextClassifier/Estimator/ComplementConfiguration/priorShift``): the amount added to the
/// second label's log-prior (complement naive Bayes: its score) that gives the best pooled
/// held-out macro-F1, found by sorting the held-out log-odds once. Naive Bayes's
/// probabilities are far from calibrated (its features are not independent), so the decision
/// at even odds often misplaces the boundary between a frequent label and a rare one; the
/// candidate with the best macro-F1 after its shift then wins.
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
  /// With a prior shift chosen: each candidate's pooled held-out macro-F1 after its best shift.
  public var shiftedMacroF1: [Double]?
  /// The chosen candidate's prior shift, when one was chosen.
  public var priorShift: Double?

  enum CodingKeys: String, CodingKey {
    case candidates, alpha
    case macroF1 = "macro_f1"
    case shiftedMacroF1 = "shifted_macro_f1"
    case priorShift = "prior_shift"
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
  ///   - shiftingPrior: Whether to choose a prior shift with each candidate (two labels only).
  ///   - model: Turns counts and an α into the scorer (multinomial or complement).
  /// - Returns: Every candidate's held-out macro-F1, and the best candidate.
  static func select(
    examples: Examples, total: MultinomialNaiveBayes, candidates: [Double], folds: Int,
    shiftingPrior: Bool = false,
    model: @Sendable (MultinomialNaiveBayes, Double) -> LinearModel
  ) -> SmoothingSelection {
    precondition(!candidates.isEmpty && folds >= 2, "SmoothingSelection: nothing to try")
    let classes = total.classCount
    let shifting = shiftingPrior && classes == 2
    // shifting: odds[candidate][example], the held-out log-odds of the second label.
    var odds = [[Double]](
      repeating: [Double](repeating: 0, count: shifting ? examples.count : 0),
      count: candidates.count)
    let fold = CrossValidation.stratifiedFolds(
      labels: examples.labels, classes: classes, folds: folds)
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
      // Each candidate's confusion counts on this fold and, when shifting, its members' log-odds.
      var results = [(confusion: [Double], odds: [Double])](
        repeating: ([], []), count: candidates.count)
      results.withUnsafeMutableBufferPointer { results in
        Parallelism.forEach(candidates.count) { candidate in
          let scorer = model(rest, candidates[candidate])
          var counts = [Double](repeating: 0, count: classes * classes)
          var scores = [Double](repeating: 0, count: classes)
          var memberOdds = [Double]()
          if shifting { memberOdds.reserveCapacity(members.count) }
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
                if shifting { memberOdds.append(scores[1] - scores[0]) }
              }
            }
          }
          results[candidate] = (counts, memberOdds)
        }
      }
      for candidate in candidates.indices {
        for i in 0..<(classes * classes) {
          confusion[candidate][i] += results[candidate].confusion[i]
        }
        for (position, example) in members.enumerated() where shifting {
          odds[candidate][example] = results[candidate].odds[position]
        }
      }
    }
    let macroF1 = confusion.map { Self.macroF1($0, classes: classes) }
    guard shifting else {
      var best = 0
      for candidate in candidates.indices where macroF1[candidate] > macroF1[best] {
        best = candidate
      }
      return SmoothingSelection(candidates: candidates, macroF1: macroF1, alpha: candidates[best])
    }
    let shifts = candidates.indices.map {
      Self.bestShift(odds: odds[$0], labels: examples.labels, unshifted: macroF1[$0])
    }
    var best = 0
    for candidate in candidates.indices where shifts[candidate].macroF1 > shifts[best].macroF1 {
      best = candidate
    }
    var selection = SmoothingSelection(
      candidates: candidates, macroF1: macroF1, alpha: candidates[best])
    selection.shiftedMacroF1 = shifts.map(\.macroF1)
    selection.priorShift = shifts[best].shift
    return selection
  }

  /// The shift of the log-odds `odds` that gives the best macro-F1 on `labels`, and that
  /// macro-F1.
  ///
  /// `odds` are the second label's log-odds, `labels` 0 or 1; the second label is predicted
  /// where the shifted log-odds are positive. The shift is the midpoint between two consecutive
  /// distinct log-odds, or 0 when no shift does better than `unshifted`, the macro-F1 without
  /// one. Among equal macro-F1, the smallest shift wins.
  static func bestShift(odds: [Double], labels: [Int], unshifted: Double) -> (
    shift: Double, macroF1: Double
  ) {
    guard odds.allSatisfy(\.isFinite), !odds.isEmpty else { return (0, unshifted) }
    let order = odds.indices.sorted { odds[$0] < odds[$1] }
    // confusion[truth * 2 + predicted]. Below position i (in ascending log-odds) the first
    // label is predicted, from i on the second: it starts with every example predicted second,
    // and each step moves one example to the first.
    var confusion = [Double](repeating: 0, count: 4)
    for label in labels { confusion[label * 2 + 1] += 1 }
    var best = (shift: 0.0, macroF1: unshifted)
    for i in 1..<odds.count {
      let moved = labels[order[i - 1]] * 2
      confusion[moved + 1] -= 1
      confusion[moved] += 1
      let below = odds[order[i - 1]]
      let above = odds[order[i]]
      guard below < above else { continue }
      let score = Self.macroF1(confusion, classes: 2)
      let shift = -(below + above) / 2
      if score > best.macroF1 + 1e-12
        || (score >= best.macroF1 - 1e-12 && abs(shift) < abs(best.shift))
      {
        best = (shift, score)
      }
    }
    return best
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
