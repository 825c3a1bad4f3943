import Tokenization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A training algorithm.
public enum Algorithm: String, CaseIterable, Sendable, Codable {
  /// The algorithm that measured best over the training sets: the linear support vector
  /// machine, whose nested, repeated cross-validation (its cost and class weights chosen inside
  /// each fold) beat logistic regression's on thirteen of the fourteen training sets, by 0.0066
  /// macro-F1 on average (see Benchmarks/README.md, "Session 12").
  public static let defaultAlgorithm = Algorithm.linearSVM

  /// Multinomial naive Bayes with Lidstone smoothing.
  case naiveBayes = "naive-bayes"
  /// Complement naive Bayes (Rennie et al. 2003).
  case complementNaiveBayes = "complement-naive-bayes"
  /// Multinomial logistic regression with L2 regularisation, trained by L-BFGS.
  case logisticRegression = "logistic-regression"
  /// Supervised embeddings averaged over the message, fastText's model (see
  /// ``SupervisedEmbeddings``).
  case embeddings
  /// A linear support vector machine (squared hinge, L2), trained by dual coordinate descent
  /// (see ``LinearSVM``).
  case linearSVM = "linear-svm"

  /// Whether the algorithm trains on the weighted vectors in memory (logistic regression,
  /// supervised embeddings, the support vector machine), rather than only counting (naive
  /// Bayes).
  var trainsOnVectors: Bool {
    switch self {
    case .logisticRegression, .embeddings, .linearSVM: true
    case .naiveBayes, .complementNaiveBayes: false
    }
  }

  /// The iterative solver that reports whether it converged, by the name `crible train`'s
  /// warning gives it: L-BFGS for logistic regression, dual coordinate descent for the linear
  /// SVM; `nil` for the algorithms that run a fixed schedule or only count.
  public var convergingSolverName: String? {
    switch self {
    case .logisticRegression: "L-BFGS"
    case .linearSVM: "dual coordinate descent"
    case .naiveBayes, .complementNaiveBayes, .embeddings: nil
    }
  }
}

/// Everything that decides what a training run produces.
public struct TrainingOptions: Sendable {
  /// The algorithm.
  public var algorithm: Algorithm
  /// Naive-Bayes settings.
  public var naiveBayes: MultinomialNaiveBayes.Configuration
  /// Complement naive-Bayes settings.
  public var complementNaiveBayes: TextClassifier.Estimator.ComplementConfiguration
  /// Logistic-regression settings.
  public var logisticRegression: LogisticRegression.Configuration
  /// Supervised-embedding settings.
  public var embeddings: SupervisedEmbeddings.Configuration
  /// Linear support-vector-machine settings.
  public var linearSVM: LinearSVM.Configuration
  /// Linear support vector machine: the costs among which cross-validation on the training
  /// data chooses (see ``LinearSVM``); `nil` to use `linearSVM.cost` as it is.
  public var costCandidates: [Double]?
  /// Whether logistic regression's L2 strength follows the size of the training data.
  ///
  /// When on, ``LogisticRegression/Configuration/defaultL2(examples:)`` replaces
  /// `logisticRegression.l2`, and the model records the strength used. Off when an L2 strength
  /// is given.
  public var automaticL2: Bool
  /// Whether the supervised embeddings' epochs follow the size of the training data
  /// (``SupervisedEmbeddings/Configuration/defaultEpochs(examples:)``); off when epochs are
  /// given.
  public var automaticEpochs: Bool
  /// How feature occurrences become values (by default, the algorithm's measured best).
  public var weighting: FeatureWeighting
  /// Keep only features seen in at least this many training examples (1: keep all).
  public var minCount: Int
  /// Keep at most this many features, the most frequent; `nil` for no limit.
  public var maxFeatures: Int?
  /// How much each example of a label counts (by default, the algorithm's measured best:
  /// ``defaultClassWeights(for:)``).
  public var classWeights: ClassWeights
  /// Linear support vector machine: whether its cross-validation also chooses the weights.
  ///
  /// When on, every cost is tried with `classWeights` and with uniform weights. On when no
  /// class weights are given.
  public var choosesClassWeights: Bool
  /// Labelled data held out for early stopping (logistic regression), with the training
  /// labels; `nil` for none.
  public var validation: LabeledCorpus?
  /// Naive Bayes (multinomial or complement): the α values among which 5-fold
  /// cross-validation on the training data chooses (see ``SmoothingSelection``); `nil` to use
  /// the configured α as it is.
  public var smoothingCandidates: [Double]?
  /// The model's labels, declared up front (sorted by the model).
  ///
  /// `nil` takes the labels of the data. Models of shards that must merge declare the same
  /// labels, so that a shard without examples of some label still knows it.
  public var labels: [String]?

  /// The feature weighting that measured best for `algorithm` (see Benchmarks/README.md).
  public static func defaultWeighting(for algorithm: Algorithm) -> FeatureWeighting {
    switch algorithm {
    case .naiveBayes: FeatureWeighting()
    case .complementNaiveBayes, .logisticRegression, .linearSVM:
      FeatureWeighting(termFrequency: .sublinear, inverseDocumentFrequency: true, l2Normalize: true)
    case .embeddings: FeatureWeighting(l1Normalize: true)
    }
  }

  /// The class weights that measured best for `algorithm`: balanced for logistic regression,
  /// the supervised embeddings and the linear support vector machine, uniform for the naive
  /// Bayes models.
  ///
  /// Measured by repeated cross-validation on the fourteen training sets (see
  /// Benchmarks/README.md, "Session 10" and "Session 11"): balanced weights raise the
  /// embeddings' mean macro-F1 by 0.0039 (ten sets up, three down) and logistic regression's
  /// by 0.0043 (ten up, three down), most on the imbalanced French sets and the small topic
  /// sets. Naive Bayes and complement naive Bayes shift their prior instead. The support
  /// vector machine's balanced weights measured as good or better than uniform ones on every
  /// training set, at every cost (Benchmarks/README.md, "Session 12").
  public static func defaultClassWeights(for algorithm: Algorithm) -> ClassWeights {
    switch algorithm {
    case .logisticRegression, .embeddings, .linearSVM: .balanced
    case .naiveBayes, .complementNaiveBayes: .uniform
    }
  }

  /// Whether the pipeline that measured best for `algorithm` ends every message with the
  /// `</s>` feature (see ``FeatureExtractor/Configuration/endOfMessage``): yes for the
  /// supervised embeddings, as in fastText (held-out mean macro-F1 .7887 without, .7928 with;
  /// see Benchmarks/README.md), no for the others, which it does not help.
  public static func defaultEndOfMessage(for algorithm: Algorithm) -> Bool {
    algorithm == .embeddings
  }

  /// Whether the pipeline that measured best for `algorithm` reads numbers as Han characters
  /// in Chinese messages (see ``PreTokenizer/Configuration/numbersAsHan``).
  ///
  /// Yes for logistic regression, the supervised embeddings and the linear support vector
  /// machine (which shares logistic regression's pipeline), no for the naive Bayes models. Measured by repeated cross-validation on the six Chinese training sets (French
  /// messages are unchanged), mean macro-F1 change: logistic regression +0.0006, embeddings
  /// +0.0004, naive Bayes −0.0010, complement naive Bayes −0.0007 (see Benchmarks/README.md).
  public static func defaultNumbersAsHan(for algorithm: Algorithm) -> Bool {
    switch algorithm {
    case .logisticRegression, .embeddings, .linearSVM: true
    case .naiveBayes, .complementNaiveBayes: false
    }
  }

  /// The default pipeline for `algorithm`: the recommended settings, with the end-of-message
  /// feature and numbers read as Han where ``defaultEndOfMessage(for:)`` and
  /// ``defaultNumbersAsHan(for:)`` say so.
  public static func defaultPipeline(for algorithm: Algorithm) -> TextPipeline.Configuration {
    var pipeline = TextPipeline.Configuration()
    pipeline.features.endOfMessage = defaultEndOfMessage(for: algorithm)
    pipeline.tokenization.numbersAsHan = defaultNumbersAsHan(for: algorithm)
    return pipeline
  }

  /// The default number of features kept: the 100,000 most frequent buckets (chosen on
  /// held-out data; see Benchmarks/README.md).
  public static let defaultMaxFeatures = 100_000

  /// Whether training builds an explicit vocabulary rather than using every hash bucket.
  public var usesVocabulary: Bool { minCount > 1 || maxFeatures != nil }
  /// The text pipeline, stored in the model.
  public var pipeline: TextPipeline.Configuration
  /// The word list for dictionary segmentation of Chinese (turns `pipeline.features.hanWords`
  /// on when given).
  public var lexicon: Lexicon?
  /// Labels to rename while reading (`toxic` → `offensive`), so corpora can be merged.
  public var labelMapping: [String: String]
  /// The number of workers; `nil` for the default (see ``Parallelism``).
  public var threads: Int?

  /// Creates options; the defaults are the recommended settings (`weighting` and `pipeline`:
  /// ``defaultWeighting(for:)`` and ``defaultPipeline(for:)`` of `algorithm`).
  public init(
    algorithm: Algorithm = .defaultAlgorithm,
    naiveBayes: MultinomialNaiveBayes.Configuration = .init(),
    complementNaiveBayes: TextClassifier.Estimator.ComplementConfiguration = .init(),
    logisticRegression: LogisticRegression.Configuration = .init(),
    embeddings: SupervisedEmbeddings.Configuration = .init(),
    linearSVM: LinearSVM.Configuration = .init(),
    costCandidates: [Double]? = LinearSVM.Configuration.defaultCandidates,
    automaticL2: Bool = true,
    automaticEpochs: Bool = true,
    weighting: FeatureWeighting? = nil,
    minCount: Int = 1, maxFeatures: Int? = TrainingOptions.defaultMaxFeatures,
    classWeights: ClassWeights? = nil,
    pipeline: TextPipeline.Configuration? = nil,
    lexicon: Lexicon? = nil,
    labelMapping: [String: String] = [:],
    threads: Int? = nil
  ) {
    self.algorithm = algorithm
    self.naiveBayes = naiveBayes
    self.complementNaiveBayes = complementNaiveBayes
    self.logisticRegression = logisticRegression
    self.embeddings = embeddings
    self.linearSVM = linearSVM
    self.costCandidates = costCandidates
    self.automaticL2 = automaticL2
    self.automaticEpochs = automaticEpochs
    self.weighting = weighting ?? Self.defaultWeighting(for: algorithm)
    self.minCount = minCount
    self.maxFeatures = maxFeatures
    self.classWeights = classWeights ?? Self.defaultClassWeights(for: algorithm)
    self.choosesClassWeights = classWeights == nil
    self.pipeline = pipeline ?? Self.defaultPipeline(for: algorithm)
    self.lexicon = lexicon
    if lexicon != nil { self.pipeline.features.hanWords = true }
    self.labelMapping = labelMapping
    self.threads = threads
  }

  /// The logistic-regression settings for `examples` training examples: `logisticRegression`,
  /// with the L2 strength for that many examples when ``automaticL2`` is on.
  public func logisticRegression(examples: Int) -> LogisticRegression.Configuration {
    var configuration = logisticRegression
    if automaticL2 {
      configuration.l2 = LogisticRegression.Configuration.defaultL2(examples: examples)
    }
    return configuration
  }

  /// The supervised-embedding settings for `examples` training examples: `embeddings`, with
  /// the epochs for that many examples when ``automaticEpochs`` is on.
  public func embeddings(examples: Int) -> SupervisedEmbeddings.Configuration {
    var configuration = embeddings
    if automaticEpochs {
      configuration.epochs = SupervisedEmbeddings.Configuration.defaultEpochs(examples: examples)
    }
    return configuration
  }

  /// Checks the settings before any work starts.
  public func validate() throws(CribleError) {
    if let problem = pipeline.features.validationError() ?? naiveBayes.validationError()
      ?? MultinomialNaiveBayes.Configuration(
        alpha: complementNaiveBayes.alpha, priorShift: complementNaiveBayes.priorShift
      ).validationError()
      ?? logisticRegression.validationError() ?? embeddings.validationError()
      ?? linearSVM.validationError()
    {
      throw CribleError(.badConfiguration, problem)
    }
    if minCount < 1 {
      throw CribleError(.badConfiguration, "The minimum count must be at least 1, not \(minCount).")
    }
    if let costCandidates, let bad = costCandidates.first(where: { !($0 > 0 && $0.isFinite) }) {
      throw CribleError(.badConfiguration, "The cost C must be a positive number, not \(bad).")
    }
    if let maxFeatures, maxFeatures < 1 {
      throw CribleError(
        .badConfiguration, "The maximum number of features must be at least 1, not \(maxFeatures).")
    }
  }
}

/// Trains classifiers from labelled corpora.
public enum Trainer {
  /// Trains a classifier on one or more corpora, whose labels are merged (after
  /// `options.labelMapping`) into one sorted label set.
  ///
  /// Feature extraction, document frequencies and the weighted vectors that logistic
  /// regression and the embeddings train on are built on every core, each worker on its own
  /// shard, and joined in example order; naive Bayes's counting is a single pass. None of them
  /// depends on the number of threads (logistic regression's solver adds its workers' gradients,
  /// so its model does; see ``LogisticRegression``).
  /// - Throws: ``CribleError`` when the options are invalid or the corpora have fewer than two
  ///   labels.
  public static func train(_ corpora: [LabeledCorpus], options: TrainingOptions) throws(CribleError)
    -> TextClassifier
  {
    try options.validate()
    let started = monotonicSeconds()
    if corpora.contains(where: \.isMultiLabel) {
      return try trainOneVsRest(corpora, options: options, started: started)
    }
    let mapped: [[String]] = corpora.map { corpus in
      corpus.labels.map { options.labelMapping[$0] ?? $0 }
    }
    let found = Set(mapped.joined())
    if let declared = options.labels, let stray = found.subtracting(declared).sorted().first {
      throw CribleError(
        .badData,
        "The training data has the label \"\(stray)\", which is not among the declared labels (\(declared.joined(separator: ", "))). Add it to --labels."
      )
    }
    let labels = options.labels.map { Array(Set($0)).sorted() } ?? found.sorted()
    guard labels.count >= 2 else {
      let sources = corpora.map(\.source).joined(separator: ", ")
      throw CribleError(
        .badData,
        "\(sources) \(corpora.count == 1 ? "has" : "have") only the label \(labels.first ?? "(none)"); a classifier needs at least two labels."
      )
    }
    let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    // Every mapped name is in `labels`, which was built from them.
    let translations = mapped.map { names in names.map { labelIndex[$0] ?? 0 } }
    if options.pipeline.features.hanWords && options.lexicon == nil {
      throw CribleError(
        .badConfiguration, "Dictionary segmentation needs a dictionary; give one with --dictionary."
      )
    }
    let pipeline = TextPipeline(configuration: options.pipeline, lexicon: options.lexicon)
    var labelCounts = [String: Int]()
    let (shards, space) = Self.extractFeatures(corpora, pipeline: pipeline, options: options)
    let vocabulary = space.vocabulary
    let weighting = space.weighting
    let idf = space.inverseDocumentFrequencies
    var counts = MultinomialNaiveBayes(
      classCount: labels.count, featureCount: vocabulary?.count ?? pipeline.bucketCount)
    var vector = WeightedFeatures()
    var kept = [UInt32]()
    var examplesPerLabel = [Int](repeating: 0, count: labels.count)
    for (corpus, translate) in zip(corpora, translations) {
      for (index, count) in corpus.labelCounts.enumerated() {
        examplesPerLabel[translate[index]] += count
      }
    }
    let weights = try options.classWeights.weights(labels: labels, examples: examplesPerLabel)
    let featureCount = space.featureCount(bucketCount: pipeline.bucketCount)
    var validationMatrix: TrainingMatrix?
    if let validation = options.validation, options.algorithm == .logisticRegression {
      var held = TrainingMatrix(featureCount: featureCount, classCount: labels.count)
      var heldVector = WeightedFeatures()
      var workspace = TextPipeline.Workspace()
      for example in 0..<validation.count {
        let name =
          options.labelMapping[validation.labels[validation.label(at: example)]]
          ?? validation.labels[validation.label(at: example)]
        guard let label = labelIndex[name] else {
          throw CribleError(
            .badData,
            "Line \(validation.lineNumber(at: example)) of \(validation.source) has the label \"\(name)\", which the training data does not have."
          )
        }
        validation.withText(at: example) { pipeline.extractFeatures(utf8: $0, into: &workspace) }
        space.vectorize(&workspace, into: &heldVector)
        heldVector.withVector { held.append(indices: $0, values: $1, label: label) }
      }
      validationMatrix = held
    }
    let keepsVectors = options.algorithm.trainsOnVectors
    let selecting = !keepsVectors && options.smoothingCandidates.map { $0.count > 1 } ?? false
    var held = SmoothingSelection.Examples()
    func count(_ occurrences: UnsafeBufferPointer<UInt32>, label: Int) {
      if weighting.isRawCounts {
        counts.add(features: occurrences, label: label, weight: Double(weights[label]))
        if selecting {
          held.append(
            indices: occurrences, values: nil, label: label, weight: Double(weights[label]))
        }
      } else {
        vector.assign(occurrences, weighting: weighting, idf: idf)
        vector.withVector {
          counts.add(indices: $0, values: $1, label: label, weight: Double(weights[label]))
          if selecting {
            held.append(indices: $0, values: $1, label: label, weight: Double(weights[label]))
          }
        }
      }
    }
    let matrix: TrainingMatrix
    if keepsVectors {
      matrix = Self.trainingMatrix(
        shards, space: space, featureCount: featureCount, classCount: labels.count
      ) { corpus, example in
        let label = translations[corpus][corpora[corpus].label(at: example)]
        return (label, weights[label])
      }
    } else {
      matrix = TrainingMatrix(featureCount: featureCount, classCount: labels.count)
      for ((corpus, translate), corpusShards) in zip(zip(corpora, translations), shards) {
        for shard in corpusShards {
          shard.features.withUnsafeBufferPointer { features in
            for (position, example) in shard.examples.enumerated() {
              let occurrences = UnsafeBufferPointer(
                rebasing: features[shard.offsets[position]..<shard.offsets[position + 1]])
              let label = translate[corpus.label(at: example)]
              space.withKept(occurrences, scratch: &kept) { count($0, label: label) }
            }
          }
        }
      }
    }
    for (corpus, names) in zip(corpora, mapped) {
      for (index, count) in corpus.labelCounts.enumerated() {
        labelCounts[names[index], default: 0] += count
      }
    }
    let estimator: TextClassifier.Estimator
    var report: LogisticRegression.Report?
    var selection: SmoothingSelection?
    var svmReport: LinearSVM.Report?
    if selecting, let candidates = options.smoothingCandidates {
      let complement = options.complementNaiveBayes
      selection = SmoothingSelection.select(
        examples: held, total: counts, candidates: candidates,
        folds: SmoothingSelection.defaultFolds,
        shiftingPrior: true
      ) { counts, alpha in
        options.algorithm == .naiveBayes
          ? counts.linearModel(alpha: alpha)
          : counts.complementLinearModel(alpha: alpha, normalize: complement.normalize)
      }
    }
    switch options.algorithm {
    case .naiveBayes:
      var configuration = options.naiveBayes
      if let selection {
        configuration.alpha = selection.alpha
        configuration.priorShift = selection.priorShift ?? 0
      }
      estimator = .multinomialNaiveBayes(counts, configuration)
    case .complementNaiveBayes:
      var configuration = options.complementNaiveBayes
      if let selection {
        configuration.alpha = selection.alpha
        configuration.priorShift = selection.priorShift ?? 0
      }
      estimator = .complementNaiveBayes(counts, configuration)
    case .logisticRegression:
      let configuration = options.logisticRegression(examples: matrix.count)
      let (model, fitted) = LogisticRegression.fit(
        matrix, validation: validationMatrix, configuration: configuration,
        threads: options.threads)
      estimator = .logisticRegression(model, configuration)
      report = fitted
    case .embeddings:
      let configuration = options.embeddings(examples: matrix.count)
      let model = try SupervisedEmbeddings.fit(matrix, configuration: configuration)
      estimator = .embeddings(model, configuration)
    case .linearSVM:
      let (model, configuration, fitted) = LinearSVM.fit(
        matrix, configuration: options.linearSVM, candidates: options.costCandidates,
        choosingWeights: options.choosesClassWeights, threads: options.threads)
      estimator = .linearSVM(model, configuration)
      svmReport = fitted
    }
    var provenance = Provenance(
      files: corpora.map(\.source),
      format: Set(corpora.map(\.format.rawValue)).sorted().joined(separator: ","),
      examples: corpora.reduce(0) { $0 + $1.count }, labelCounts: labelCounts,
      seconds: monotonicSeconds() - started, cribleVersion: CribleVersion.current)
    provenance.iterations = report?.iterations ?? svmReport?.iterations
    provenance.converged = report?.converged ?? svmReport?.converged
    provenance.smoothingSelection = selection
    provenance.costSelection = svmReport?.selection
    provenance.record(
      classWeights: svmReport?.uniformWeights == true ? weights.map { _ in 1 } : weights,
      labels: labels)
    return TextClassifier(
      labels: labels, pipeline: options.pipeline, lexicon: options.lexicon,
      estimator: estimator,
      vocabulary: vocabulary,
      weighting: weighting, inverseDocumentFrequencies: idf, provenance: provenance)
  }

  /// The features of every example of `corpora`, extracted in parallel, and the feature space
  /// (vocabulary, weighting, IDF) fitted to them: the first step of every trainer.
  static func extractFeatures(
    _ corpora: [LabeledCorpus], pipeline: TextPipeline, options: TrainingOptions
  ) -> (shards: [[FeatureShards]], space: FeatureSpace) {
    let shards = corpora.map {
      FeatureShards.extract($0, pipeline: pipeline, threads: options.threads)
    }
    var documentFrequency: [Int] = []
    var documents = 0
    if FeatureSpace.needsDocumentFrequencies(options) {
      (documentFrequency, documents) = documentFrequencies(
        shards, buckets: pipeline.bucketCount, threads: options.threads)
    }
    let space = FeatureSpace(
      documentFrequency: documentFrequency, documents: documents,
      bucketCount: pipeline.bucketCount, options: options)
    return (shards, space)
  }

  /// In how many examples of `shards` each bucket occurs, and the number of examples.
  ///
  /// Each worker counts its shards into its own table; the tables are then added, so the
  /// result does not depend on the number of workers.
  static func documentFrequencies(_ shards: [[FeatureShards]], buckets: Int, threads: Int?)
    -> ([Int], Int)
  {
    let jobs = Array(shards.joined())
    let workers = max(1, min(Parallelism.workerCount(requested: threads), jobs.count))
    // UInt32 halves the tables; an in-memory training set holds far fewer examples.
    var tables = [[UInt32]](repeating: [], count: workers)
    tables.withUnsafeMutableBufferPointer { tables in
      Parallelism.forEach(workers) { worker in
        var table = [UInt32](repeating: 0, count: buckets)
        var scratch = WeightedFeatures()
        for job in stride(from: worker, to: jobs.count, by: workers) {
          let shard = jobs[job]
          shard.features.withUnsafeBufferPointer { features in
            for offset in 0..<shard.examples.count {
              FeatureSpace.countDocument(
                UnsafeBufferPointer(
                  rebasing: features[shard.offsets[offset]..<shard.offsets[offset + 1]]),
                into: &table, scratch: &scratch)
            }
          }
        }
        tables[worker] = table
      }
    }
    // Added into the first table, each other freed once added, to keep the peak low.
    var total = tables[0]
    tables[0] = []
    for worker in 1..<workers {
      total.withUnsafeMutableBufferPointer { total in
        tables[worker].withUnsafeBufferPointer { table in
          for bucket in 0..<buckets { total[bucket] &+= table[bucket] }
        }
      }
      tables[worker] = []
    }
    return (total.map { Int($0) }, jobs.reduce(0) { $0 + $1.examples.count })
  }

  /// The weighted vectors of every example of `shards` (corpus by corpus, in example order),
  /// mapped into `space`: one worker per shard, the parts then joined in order, so the matrix
  /// does not depend on the number of workers.
  ///
  /// - Parameters:
  ///   - shards: Every corpus's feature shards, in corpus order.
  ///   - space: The vocabulary and weighting fitted to them.
  ///   - featureCount: The number of features of `space`.
  ///   - classCount: The number of classes of the matrix.
  ///   - row: The label and weight of example `example` of corpus `corpus`.
  /// - Returns: One row per example.
  static func trainingMatrix(
    _ shards: [[FeatureShards]], space: FeatureSpace, featureCount: Int, classCount: Int,
    row: (_ corpus: Int, _ example: Int) -> (label: Int, weight: Float)
  ) -> TrainingMatrix {
    let jobs = shards.enumerated().flatMap { corpus, shards in shards.map { (corpus, $0) } }
    var parts = [TrainingMatrix](
      repeating: TrainingMatrix(featureCount: featureCount, classCount: classCount),
      count: jobs.count)
    parts.withUnsafeMutableBufferPointer { parts in
      Parallelism.forEach(jobs.count) { job in
        let (corpus, shard) = jobs[job]
        var part = TrainingMatrix(featureCount: featureCount, classCount: classCount)
        part.reserve(examples: shard.examples.count, entries: shard.features.count)
        var vector = WeightedFeatures()
        var scratch: [UInt32] = []
        shard.features.withUnsafeBufferPointer { features in
          for (position, example) in shard.examples.enumerated() {
            space.vectorize(
              UnsafeBufferPointer(
                rebasing: features[shard.offsets[position]..<shard.offsets[position + 1]]),
              scratch: &scratch, into: &vector)
            let (label, weight) = row(corpus, example)
            vector.withVector { part.append(indices: $0, values: $1, label: label, weight: weight) }
          }
        }
        parts[job] = part
      }
    }
    var matrix = TrainingMatrix(featureCount: featureCount, classCount: classCount)
    matrix.reserve(
      examples: parts.reduce(0) { $0 + $1.count },
      entries: parts.reduce(0) { $0 + $1.indices.count })
    for part in parts { matrix.append(contentsOf: part) }
    return matrix
  }

}

/// The features of a corpus, extracted in parallel: one shard per worker, each a contiguous run
/// of examples with their features in one flat array.
struct FeatureShards {
  var examples: Range<Int>
  var offsets: [Int]
  var features: [UInt32]

  static func extract(_ corpus: LabeledCorpus, pipeline: TextPipeline, threads: Int?)
    -> [FeatureShards]
  {
    // One shard per worker: `map` hands each worker one contiguous range of examples.
    Parallelism.map(corpus.count, threads: threads, minimumPerWorker: 256) { examples in
      var workspace = TextPipeline.Workspace()
      var shard = FeatureShards(examples: examples, offsets: [0], features: [])
      shard.offsets.reserveCapacity(examples.count + 1)
      for example in examples {
        corpus.withText(at: example) { pipeline.extractFeatures(utf8: $0, into: &workspace) }
        workspace.withFeatures { shard.features.append(contentsOf: $0) }
        shard.offsets.append(shard.features.count)
      }
      return [shard]
    }
  }
}

/// Seconds on a monotonic clock, for durations.
func monotonicSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// How much each example of a label counts in training.
public enum ClassWeights: Sendable, Equatable {
  /// Every example counts one.
  case uniform
  /// Each label weighs `n / (labels · n_label)`, as scikit-learn's `class_weight="balanced"`:
  /// every label then counts as much as the others in total.
  case balanced
  /// Given weights by label; a label not listed weighs one.
  case explicit([String: Double])

  /// The weight of each label, in the order of `labels`.
  func weights(labels: [String], examples: [Int]) throws(CribleError) -> [Float] {
    switch self {
    case .uniform:
      return [Float](repeating: 1, count: labels.count)
    case .balanced:
      let total = Double(examples.reduce(0, +))
      return examples.map { $0 > 0 ? Float(total / (Double(labels.count) * Double($0))) : 1 }
    case .explicit(let given):
      for (label, weight) in given {
        guard labels.contains(label) else {
          throw CribleError(
            .badConfiguration,
            "The class weight names the label \(label), which the training data does not have (it has \(labels.joined(separator: ", ")))."
          )
        }
        guard weight > 0 && weight.isFinite else {
          throw CribleError(
            .badConfiguration, "The weight of \(label) must be a positive number, not \(weight).")
        }
      }
      return labels.map { Float(given[$0] ?? 1) }
    }
  }
}
