/// Stratified k-fold cross-validation: train on k − 1 folds, measure on the one left out, k
/// times, and summarise each metric by its mean and standard deviation.
public enum CrossValidation {
  /// One metric over the folds.
  public struct Summary: Sendable, Codable, Equatable {
    /// The metric on each fold, in fold order.
    public var folds: [Double]
    /// The mean over the folds.
    public var mean: Double
    /// The population standard deviation over the folds (numpy's default, `ddof=0`).
    public var std: Double

    /// Summarises per-fold values.
    public init(_ folds: [Double]) {
      self.folds = folds
      mean = folds.isEmpty ? 0 : folds.reduce(0, +) / Double(folds.count)
      let mean = self.mean
      std =
        folds.isEmpty
        ? 0
        : (folds.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(folds.count)).squareRoot()
    }
  }

  /// The result of a cross-validation.
  public struct Report: Sendable, Codable, Equatable {
    /// The number of folds.
    public var folds: Int
    /// The number of examples.
    public var examples: Int
    /// Each metric's summary, by its name in `evaluate --json` (`accuracy`, `macro_f1`, ...).
    public var metrics: [String: Summary]
    /// Seconds spent training, per fold.
    public var trainingSeconds: [Double]

    enum CodingKeys: String, CodingKey {
      case folds, examples, metrics
      case trainingSeconds = "training_seconds"
    }
  }

  /// Assigns each example to a fold: the examples of each label (the first label, for
  /// multi-label data) are shuffled with `seed`, then dealt round-robin, so that every fold
  /// has each label's share.
  ///
  /// - Returns: The fold of each example.
  public static func stratifiedFolds(_ corpus: LabeledCorpus, folds: Int, seed: UInt64) -> [Int] {
    var byLabel = [[Int]](repeating: [], count: corpus.labels.count)
    for example in 0..<corpus.count {
      byLabel[corpus.labelSet(at: example).first ?? 0].append(example)
    }
    var random = SplitMix64(seed: seed)
    var fold = [Int](repeating: 0, count: corpus.count)
    var next = 0
    for var members in byLabel {
      members.shuffle(using: &random)
      for example in members {
        fold[example] = next % folds
        next += 1
      }
    }
    return fold
  }

  /// Assigns each example to a fold without shuffling.
  ///
  /// The j-th example of each label goes to fold j mod `folds`, so every fold has each label's
  /// share. For selections inside training (naive Bayes's smoothing, the linear SVM's cost),
  /// which need no seed.
  ///
  /// - Parameters:
  ///   - labels: Each example's label, in `0..<classes`.
  ///   - classes: The number of labels.
  ///   - folds: The number of folds.
  /// - Returns: The fold of each example.
  static func stratifiedFolds(
    labels: some Sequence<some BinaryInteger>, classes: Int, folds: Int
  ) -> [Int] {
    var seen = [Int](repeating: 0, count: classes)
    return labels.map { label in
      defer { seen[Int(label)] += 1 }
      return seen[Int(label)] % folds
    }
  }

  /// The examples in a seeded order in which every prefix holds each label's share: each
  /// label's examples are shuffled, then spread evenly over the order.
  ///
  /// - Returns: Example indices.
  public static func stratifiedOrder(_ corpus: LabeledCorpus, seed: UInt64) -> [Int] {
    var byLabel = [[Int]](repeating: [], count: corpus.labels.count)
    for example in 0..<corpus.count {
      byLabel[corpus.labelSet(at: example).first ?? 0].append(example)
    }
    var random = SplitMix64(seed: seed)
    var keyed: [(key: Double, example: Int)] = []
    for var members in byLabel {
      members.shuffle(using: &random)
      for (rank, example) in members.enumerated() {
        keyed.append(((Double(rank) + 0.5) / Double(members.count), example))
      }
    }
    return keyed.sorted { $0.key != $1.key ? $0.key < $1.key : $0.example < $1.example }.map(
      \.example)
  }

  /// Runs k-fold cross-validation.
  ///
  /// - Parameters:
  ///   - corpus: The labelled data.
  ///   - folds: k, at least 2 and at most the number of examples.
  ///   - options: How each fold's model is trained.
  ///   - seed: Seeds the assignment of examples to folds.
  ///   - progress: Called after each fold with the number of folds done.
  /// - Returns: Each metric's mean and standard deviation over the folds.
  /// - Throws: ``CribleError`` when training fails (a fold with fewer than two labels, for
  ///   example).
  public static func run(
    _ corpus: LabeledCorpus, folds: Int, options: TrainingOptions, seed: UInt64 = 1,
    progress: ((Int) -> Void)? = nil
  ) throws(CribleError) -> Report {
    guard folds >= 2 && folds <= corpus.count else {
      throw CribleError(
        .badConfiguration,
        "Cross-validation needs between 2 and \(corpus.count) folds (one example each at least), not \(folds)."
      )
    }
    var values: [String: [Double]] = [:]
    var seconds: [Double] = []
    try forEachFold(corpus, folds: folds, options: options, seed: seed) {
      fold, trained, held, trainingSeconds throws(CribleError) in
      seconds.append(trainingSeconds)
      for (name, value) in metrics(trained, on: held, threads: options.threads) {
        values[name, default: []].append(value)
      }
      progress?(fold + 1)
    }
    return Report(
      folds: folds, examples: corpus.count, metrics: values.mapValues(Summary.init),
      trainingSeconds: seconds)
  }

  /// Trains on `training`, on one thread, and numbers `held` by the model's labels (the model
  /// numbers labels by the data it was trained on; the held data must use them).
  ///
  /// Its callers (the folds here, ``Tuner``'s candidates) run several at once, one per worker
  /// (``Parallelism/forEachInOrder(_:threads:produce:consume:)``); on one thread each, the
  /// model does not depend on how many run (logistic regression's depends on its threads).
  ///
  /// - Returns: The model, the held data relabelled, and the training seconds.
  /// - Throws: ``CribleError`` when training fails or `held` has a label the model lacks.
  static func fit(
    _ training: LabeledCorpus, holding held: LabeledCorpus, options: TrainingOptions
  ) throws(CribleError) -> (model: TextClassifier, held: LabeledCorpus, seconds: Double) {
    var options = options
    options.threads = 1
    let started = monotonicSeconds()
    let model = try Trainer.train([training], options: options)
    let seconds = monotonicSeconds() - started
    return (model, try held.relabelled(to: model.labels, mapping: options.labelMapping), seconds)
  }

  /// For each of `folds` stratified folds of `corpus`: trains on the others and calls `body`
  /// with the fold's number, the model, the fold relabelled for it, and the training seconds.
  ///
  /// The folds train concurrently, one per worker (``Parallelism``), in waves of as many folds
  /// as there are workers, each fold on one thread; `body` is called on the calling thread, in
  /// fold order, after each wave. So the folds' models (logistic regression's too, which
  /// depends on its thread count) are those of one thread, whatever the worker count, and
  /// peak memory is that of one training per concurrent fold.
  ///
  /// - Throws: ``CribleError`` from training (the first failing fold's, in fold order) or from
  ///   `body`.
  static func forEachFold(
    _ corpus: LabeledCorpus, folds: Int, options: TrainingOptions, seed: UInt64,
    _ body: (Int, TextClassifier, LabeledCorpus, Double) throws(CribleError) -> Void
  ) throws(CribleError) {
    let assignment = stratifiedFolds(corpus, folds: folds, seed: seed)
    try Parallelism.forEachInOrder(folds, threads: options.threads) { k throws(CribleError) in
      try fit(
        corpus.subset((0..<corpus.count).filter { assignment[$0] != k }),
        holding: corpus.subset((0..<corpus.count).filter { assignment[$0] == k }),
        options: options)
    } consume: { k, fitted throws(CribleError) in
      try body(k, fitted.model, fitted.held, fitted.seconds)
    }
  }

  /// The metrics of `classifier` on `corpus`, by their names in `evaluate --json`.
  static func metrics(_ classifier: TextClassifier, on corpus: LabeledCorpus, threads: Int?)
    -> [String: Double]
  {
    if classifier.isMultiLabel {
      let report = Evaluator.evaluateMultiLabel(classifier, on: corpus, threads: threads)
      return [
        "subset_accuracy": report.subsetAccuracy, "hamming_loss": report.hammingLoss,
        "micro_f1": report.microF1, "macro_f1": report.macroF1,
      ]
    }
    let report = Evaluator.evaluate(classifier, on: corpus, threads: threads)
    var result = [
      "accuracy": report.accuracy, "macro_f1": report.macroF1, "weighted_f1": report.weightedF1,
    ]
    if let logLoss = report.logLoss { result["log_loss"] = logLoss }
    for (label, metrics) in report.perLabel { result["f1[\(label)]"] = metrics.f1 }
    return result
  }
}

extension LabeledCorpus {
  /// This corpus with its labels renumbered in `labels`' order, after `mapping`.
  ///
  /// - Throws: ``CribleError`` when an example has a label outside `labels`.
  func relabelled(to labels: [String], mapping: [String: String]) throws(CribleError)
    -> LabeledCorpus
  {
    var text: [UInt8] = []
    for example in 0..<count {
      let names = labelSet(at: example).map { mapping[self.labels[$0]] ?? self.labels[$0] }
      text.append(contentsOf: names.joined(separator: ",").utf8)
      text.append(0x09)
      withText(at: example) { text.append(contentsOf: $0) }
      text.append(0x0A)
    }
    return try LabeledCorpus(
      bytes: text, source: source, format: .tsv, labels: labels, allowEmpty: true,
      multiLabel: isMultiLabel)
  }
}
