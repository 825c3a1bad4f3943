import Tokenization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Trainer {
  /// Trains one binary model per label on multi-label corpora (one-vs-rest): each label's
  /// model separates the examples that carry it from those that do not, with the chosen
  /// algorithm, and gives the label an independent probability.
  ///
  /// Features are extracted and weighted once; the binary models share them. The threshold of
  /// each label is 0.5, or, with ``TrainingOptions/validation``, the one that maximises the
  /// label's F1 there.
  static func trainOneVsRest(
    _ corpora: [LabeledCorpus], options: TrainingOptions, started: Double
  ) throws(CribleError) -> TextClassifier {
    let mapped: [[String]] = corpora.map { corpus in
      corpus.labels.map { options.labelMapping[$0] ?? $0 }
    }
    let labels = Set(mapped.joined()).sorted()
    let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    let translations = mapped.map { names in names.map { labelIndex[$0] ?? 0 } }
    if case .explicit = options.classWeights {
      throw CribleError(
        .badConfiguration,
        "Multi-label training takes --class-weight balanced (each label's model balances its positive and negative examples) but not explicit weights."
      )
    }
    let pipeline = TextPipeline(configuration: options.pipeline, lexicon: options.lexicon)
    let (shards, space) = Self.extractFeatures(corpora, pipeline: pipeline, options: options)
    let featureCount = space.featureCount(bucketCount: pipeline.bucketCount)

    // Every example once: its weighted vector and its label set.
    var matrix = Self.trainingMatrix(
      shards, space: space, featureCount: featureCount, classCount: 2
    ) { _, _ in (0, 1) }
    var sets: [[Int]] = []
    sets.reserveCapacity(matrix.count)
    for (corpus, (translate, corpusShards)) in zip(corpora, zip(translations, shards)) {
      for shard in corpusShards {
        for example in shard.examples {
          sets.append(Set(corpus.labelSet(at: example).map { translate[$0] }).sorted())
        }
      }
    }
    let examples = sets.count
    var positives = [Int](repeating: 0, count: labels.count)
    for set in sets { for label in set { positives[label] += 1 } }

    // One binary model per label: column `label` of the scorer is its log-odds.
    var weights = [Float](repeating: 0, count: featureCount * labels.count)
    var bias = [Double](repeating: 0, count: labels.count)
    var hyperparameters: [String: Double] = [:]
    for label in 0..<labels.count {
      let has = sets.map { $0.contains(label) }
      var positiveWeight: Float = 1
      var negativeWeight: Float = 1
      if case .balanced = options.classWeights, positives[label] > 0, positives[label] < examples {
        positiveWeight = Float(Double(examples) / (2 * Double(positives[label])))
        negativeWeight = Float(Double(examples) / (2 * Double(examples - positives[label])))
      }
      for example in 0..<examples {
        matrix.labels[example] = has[example] ? 1 : 0
        matrix.weights[example] = has[example] ? positiveWeight : negativeWeight
      }
      let binary: LinearModel
      switch options.algorithm {
      case .logisticRegression:
        let configuration = options.logisticRegression(examples: examples)
        let (model, _) = LogisticRegression.fit(
          matrix, configuration: configuration, threads: options.threads)
        binary = model.linearModel
        hyperparameters =
          TextClassifier.Estimator.logisticRegression(model, configuration).hyperparameters
      case .embeddings:
        let configuration = options.embeddings(examples: examples)
        binary = try SupervisedEmbeddings.fit(matrix, configuration: configuration)
        hyperparameters =
          TextClassifier.Estimator.embeddings(binary, configuration).hyperparameters
      case .linearSVM:
        // The two columns' difference is the scaled margin: the label's log-odds.
        let (model, configuration, _) = LinearSVM.fit(
          matrix, configuration: options.linearSVM, candidates: options.costCandidates,
          threads: options.threads)
        binary = model
        hyperparameters["C.\(labels[label])"] = configuration.cost
        hyperparameters["scale.\(labels[label])"] = configuration.scale
      case .naiveBayes, .complementNaiveBayes:
        var counts = MultinomialNaiveBayes(classCount: 2, featureCount: featureCount)
        var held = SmoothingSelection.Examples()
        matrix.withRows { rows in
          for example in 0..<examples {
            let row = rows.indices(of: example)
            let rowValues = rows.values(of: example)
            let label = Int(rows.labels[example])
            let weight = Double(rows.weights[example])
            counts.add(indices: row, values: rowValues, label: label, weight: weight)
            if options.smoothingCandidates != nil {
              held.append(indices: row, values: rowValues, label: label, weight: weight)
            }
          }
        }
        let complement = options.algorithm == .complementNaiveBayes
        let normalize = options.complementNaiveBayes.normalize
        let model: @Sendable (MultinomialNaiveBayes, Double) -> LinearModel = { counts, alpha in
          complement
            ? counts.complementLinearModel(alpha: alpha, normalize: normalize)
            : counts.linearModel(alpha: alpha)
        }
        var alpha = complement ? options.complementNaiveBayes.alpha : options.naiveBayes.alpha
        if let candidates = options.smoothingCandidates, candidates.count > 1 {
          alpha =
            SmoothingSelection.select(
              examples: held, total: counts, candidates: candidates,
              folds: SmoothingSelection.defaultFolds, model: model
            ).alpha
        }
        binary = model(counts, alpha)
        hyperparameters["alpha.\(labels[label])"] = alpha
      }
      for feature in 0..<featureCount {
        weights[feature * labels.count + label] =
          binary.weights[feature * 2 + 1] - binary.weights[feature * 2]
      }
      bias[label] = binary.bias[1] - binary.bias[0]
    }
    let scorer = LinearModel(classCount: labels.count, weights: weights, bias: bias)

    var thresholds = [Double](repeating: 0.5, count: labels.count)
    if let validation = options.validation {
      thresholds = try Self.bestThresholds(
        scorer, space: space, pipeline: pipeline, labels: labels, labelIndex: labelIndex,
        validation: validation, mapping: options.labelMapping)
    }
    var labelCounts: [String: Int] = [:]
    for (label, count) in zip(labels, positives) { labelCounts[label] = count }
    let provenance = Provenance(
      files: corpora.map(\.source),
      format: Set(corpora.map(\.format.rawValue)).sorted().joined(separator: ","),
      examples: examples, labelCounts: labelCounts, seconds: monotonicSeconds() - started,
      cribleVersion: CribleVersion.current)
    return TextClassifier(
      labels: labels, pipeline: options.pipeline, lexicon: options.lexicon,
      estimator: .oneVsRest(
        scorer,
        .init(
          algorithm: options.algorithm, hyperparameters: hyperparameters, thresholds: thresholds)),
      vocabulary: space.vocabulary, weighting: space.weighting,
      inverseDocumentFrequencies: space.inverseDocumentFrequencies, provenance: provenance)
  }

  /// Each label's threshold that maximises its F1 on `validation` (0.5 when the label never
  /// occurs there), among 0.05, 0.10, ..., 0.95.
  static func bestThresholds(
    _ scorer: LinearModel, space: FeatureSpace, pipeline: TextPipeline, labels: [String],
    labelIndex: [String: Int], validation: LabeledCorpus, mapping: [String: String]
  ) throws(CribleError) -> [Double] {
    var workspace = TextPipeline.Workspace()
    var vector = WeightedFeatures()
    var scores = [Double](repeating: 0, count: labels.count)
    var probabilities: [[Double]] = []
    var truths: [[Bool]] = []
    for example in 0..<validation.count {
      var truth = [Bool](repeating: false, count: labels.count)
      for index in validation.labelSet(at: example) {
        let name = mapping[validation.labels[index]] ?? validation.labels[index]
        guard let label = labelIndex[name] else {
          throw CribleError(
            .badData,
            "Line \(validation.lineNumber(at: example)) of \(validation.source) has the label \"\(name)\", which the training data does not have."
          )
        }
        truth[label] = true
      }
      validation.withText(at: example) { pipeline.extractFeatures(utf8: $0, into: &workspace) }
      space.vectorize(&workspace, into: &vector)
      vector.withVector { indices, values in
        scores.withUnsafeMutableBufferPointer {
          scorer.scores(indices: indices, values: values, into: $0)
        }
      }
      probabilities.append(scores.map { 1 / (1 + exp(-$0)) })
      truths.append(truth)
    }
    let grid = (1...19).map { Double($0) / 20 }
    return (0..<labels.count).map { label in
      var best = (threshold: 0.5, f1: -1.0)
      for threshold in grid {
        var truePositives = 0.0
        var predicted = 0.0
        var actual = 0.0
        for (p, truth) in zip(probabilities, truths) {
          let yes = p[label] >= threshold
          if yes { predicted += 1 }
          if truth[label] { actual += 1 }
          if yes && truth[label] { truePositives += 1 }
        }
        guard actual > 0 else { return 0.5 }
        let f1 = 2 * truePositives / max(predicted + actual, 1)
        if f1 > best.f1 { best = (threshold, f1) }
      }
      return best.threshold
    }
  }
}
