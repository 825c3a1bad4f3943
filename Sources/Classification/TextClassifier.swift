import LinearAlgebra
import Tokenization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A trained text classifier: the text pipeline it was trained with, its labels, the estimator's
/// state, and the linear scorer derived from it.
///
/// A classifier is an immutable value that any number of threads share. For one message at a
/// time, ``predict(_:)`` is all you need:
///
/// ```swift
/// let classifier = try ModelFile.load(path: "Models/offensive-zh-fr.crible")
/// let prediction = classifier.predict("你真是个垃圾")
/// print(prediction.label, prediction.probability)
/// ```
///
/// Hot loops use ``classify(utf8:workspace:)`` with one ``Workspace`` per thread, which
/// allocates nothing per message.
public struct TextClassifier: Sendable {
  /// The training algorithm and its fitted state.
  public enum Estimator: Sendable, Equatable {
    /// Multinomial naive Bayes: its counts and smoothing.
    case multinomialNaiveBayes(MultinomialNaiveBayes, MultinomialNaiveBayes.Configuration)
    /// Complement naive Bayes: the same counts, estimated from each class's complement.
    case complementNaiveBayes(MultinomialNaiveBayes, ComplementConfiguration)
    /// Multinomial logistic regression: its weights and settings.
    case logisticRegression(LogisticRegression, LogisticRegression.Configuration)
    /// Supervised embeddings, kept as the linear scorer they are equivalent to, with their
    /// settings.
    case embeddings(LinearModel, SupervisedEmbeddings.Configuration)
    /// A linear support vector machine, kept as its scaled margins (whose softmax gives the
    /// probabilities), with its settings.
    case linearSVM(LinearModel, LinearSVM.Configuration)
    /// Multi-label data: one binary model per label, each giving its label an independent
    /// probability (the sigmoid of its column's score), with a threshold per label.
    case oneVsRest(LinearModel, OneVsRest)

    /// How a one-vs-rest model was trained, and its thresholds.
    public struct OneVsRest: Sendable, Hashable, Codable {
      /// The algorithm of each binary model.
      public var algorithm: Algorithm
      /// Its hyper-parameters, under their usual names.
      public var hyperparameters: [String: Double]
      /// The least probability at which each label is given, in the model's label order.
      public var thresholds: [Double]

      /// Creates settings.
      public init(algorithm: Algorithm, hyperparameters: [String: Double], thresholds: [Double]) {
        self.algorithm = algorithm
        self.hyperparameters = hyperparameters
        self.thresholds = thresholds
      }
    }

    /// The settings of complement naive Bayes.
    public struct ComplementConfiguration: Sendable, Hashable, Codable {
      /// The default smoothing, chosen on held-out data.
      public static let defaultAlpha = 0.1
      /// The Lidstone smoothing α.
      public var alpha: Double
      /// Whether the weights of each class are normalised (Rennie et al.'s weight normalisation).
      public var normalize: Bool
      /// Two labels only: added to the second label's score, to move the decision.
      ///
      /// 0 leaves the decision where the complement weights put it. Cross-validation chooses
      /// it with α, for the best macro-F1, as for naive Bayes (see ``SmoothingSelection``);
      /// models with more labels, and older models, keep 0.
      public var priorShift: Double

      /// Creates settings.
      public init(
        alpha: Double = ComplementConfiguration.defaultAlpha, normalize: Bool = false,
        priorShift: Double = 0
      ) {
        self.alpha = alpha
        self.normalize = normalize
        self.priorShift = priorShift
      }

      enum CodingKeys: String, CodingKey {
        case alpha, normalize
        case priorShift = "prior_shift"
      }

      /// Decodes settings; those written before the prior shift existed have none.
      public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        alpha = try container.decode(Double.self, forKey: .alpha)
        normalize = try container.decode(Bool.self, forKey: .normalize)
        priorShift = try container.decodeIfPresent(Double.self, forKey: .priorShift) ?? 0
      }
    }

    /// The class and feature counts, for the naive-Bayes variants.
    public var counts: MultinomialNaiveBayes? {
      switch self {
      case .multinomialNaiveBayes(let counts, _), .complementNaiveBayes(let counts, _): counts
      case .logisticRegression, .embeddings, .linearSVM, .oneVsRest: nil
      }
    }

    /// The algorithm's name on the command line and in model files.
    public var algorithmName: String {
      switch self {
      case .multinomialNaiveBayes: "naive-bayes"
      case .complementNaiveBayes: "complement-naive-bayes"
      case .logisticRegression: "logistic-regression"
      case .embeddings: "embeddings"
      case .linearSVM: "linear-svm"
      case .oneVsRest(_, let settings): settings.algorithm.rawValue
      }
    }

    /// The hyper-parameters under their usual names (`alpha` for naive Bayes).
    public var hyperparameters: [String: Double] {
      switch self {
      case .multinomialNaiveBayes(_, let configuration):
        ["alpha": configuration.alpha, "prior_shift": configuration.priorShift]
      case .complementNaiveBayes(_, let configuration):
        [
          "alpha": configuration.alpha, "norm": configuration.normalize ? 1 : 0,
          "prior_shift": configuration.priorShift,
        ]
      case .logisticRegression(_, let configuration):
        [
          "l2": configuration.l2, "max_iterations": Double(configuration.maxIterations),
          "tolerance": configuration.tolerance,
        ]
      case .embeddings(_, let configuration):
        [
          "dimension": Double(configuration.dimension), "epochs": Double(configuration.epochs),
          "learning_rate": configuration.learningRate, "seed": Double(configuration.seed),
        ]
      case .linearSVM(_, let configuration):
        [
          "C": configuration.cost, "tolerance": configuration.tolerance,
          "max_iterations": Double(configuration.maxIterations),
          "seed": Double(configuration.seed), "scale": configuration.scale,
        ]
      case .oneVsRest(_, let settings): settings.hyperparameters
      }
    }
  }

  /// One prediction.
  public struct Prediction: Sendable, Equatable {
    /// The most probable label.
    public var label: String
    /// The position of ``label`` in the classifier's labels.
    public var labelIndex: Int
    /// The probability of ``label``.
    public var probability: Double
    /// The probability of every label, in the classifier's label order.
    public var probabilities: [Double]
  }

  /// Scratch buffers for one thread.
  public struct Workspace: Sendable {
    var text = TextPipeline.Workspace()
    var weighted = WeightedFeatures()
    var distinct = DistinctScratch()
    /// The probability of each label for the last message classified.
    public internal(set) var probabilities: [Double] = []

    /// Creates an empty workspace.
    public init() {}
  }

  /// The labels, in the model's order.
  public let labels: [String]
  /// The text pipeline, exactly as at training time.
  public let pipeline: TextPipeline
  /// The algorithm and its fitted state.
  public let estimator: Estimator
  /// What the model was trained on, when known.
  public let provenance: Provenance?
  /// The scorer derived from the estimator.
  public let linearModel: LinearModel
  /// How the weights are stored (logistic regression; ``Quantization/none`` otherwise).
  public let quantization: Quantization
  /// Whether each label gets an independent probability (one-vs-rest), rather than the labels
  /// sharing one distribution.
  public let isMultiLabel: Bool
  /// The least probability at which each label is given, by label name.
  ///
  /// Chosen on held-out data by ``ThresholdSelection``; a label without one is given whenever it
  /// is the most probable. Multi-label models keep theirs in
  /// ``Estimator/OneVsRest/thresholds``.
  public private(set) var decisionThresholds: [String: Double]

  /// This model with other decision thresholds.
  ///
  /// - Parameter thresholds: By label name; for a multi-label model, replaces those named.
  /// - Returns: The model.
  public func with(thresholds: [String: Double]) -> TextClassifier {
    var copy = self
    if case .oneVsRest(let model, var settings) = estimator {
      for (index, label) in labels.enumerated() {
        if let threshold = thresholds[label] { settings.thresholds[index] = threshold }
      }
      return TextClassifier(
        labels: labels, pipeline: pipeline.configuration, lexicon: pipeline.lexicon,
        estimator: .oneVsRest(model, settings), vocabulary: vocabulary, weighting: weighting,
        inverseDocumentFrequencies: inverseDocumentFrequencies, provenance: provenance,
        quantization: quantization)
    }
    copy.decisionThresholds = thresholds
    return copy
  }

  /// The labels given to a message with the label probabilities `probabilities`.
  ///
  /// For a multi-label model, the labels at or above their threshold, most probable first; for a
  /// single-label model, the most probable label. `probabilities` are as
  /// ``classify(utf8:workspace:)`` leaves them.
  ///
  /// - Parameters:
  ///   - probabilities: Every label's probability.
  ///   - thresholds: Thresholds by label index, replacing the model's; `nil` keeps them.
  /// - Returns: Label indices.
  public func labelSet(_ probabilities: [Double], thresholds: [Double]? = nil) -> [Int] {
    guard case .oneVsRest(_, let settings) = estimator else {
      var best = 0
      for c in 1..<probabilities.count where probabilities[c] > probabilities[best] { best = c }
      return [best]
    }
    let limits = thresholds ?? settings.thresholds
    return probabilities.indices.filter { probabilities[$0] >= limits[$0] }.sorted {
      probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
    }
  }
  /// The kept features, when the model prunes them; otherwise every hash bucket is a feature.
  public var vocabulary: Vocabulary? { featureSpace.vocabulary }
  /// How feature occurrences become values.
  public var weighting: FeatureWeighting { featureSpace.weighting }
  /// The inverse document frequency of every feature, when ``weighting`` uses it.
  public var inverseDocumentFrequencies: [Float]? { featureSpace.inverseDocumentFrequencies }
  /// The vocabulary, weighting and IDF together: how a message becomes the scored vector.
  let featureSpace: FeatureSpace
  /// The weights of a pruned model laid out for labelling with raw counts.
  let scoringTable: ScoringTable?

  /// Creates a classifier from a fitted estimator.
  public init(
    labels: [String], pipeline: TextPipeline.Configuration, lexicon: Lexicon? = nil,
    estimator: Estimator, vocabulary: Vocabulary? = nil, weighting: FeatureWeighting = .init(),
    inverseDocumentFrequencies: [Float]? = nil, provenance: Provenance? = nil,
    quantization: Quantization = .none, decisionThresholds: [String: Double] = [:]
  ) {
    self.quantization = quantization
    self.decisionThresholds = decisionThresholds
    let featureCount = vocabulary?.count ?? pipeline.features.bucketCount
    precondition(
      !weighting.inverseDocumentFrequency || inverseDocumentFrequencies?.count == featureCount,
      "TextClassifier: IDF weighting needs one inverse document frequency per feature")
    featureSpace = FeatureSpace(
      vocabulary: vocabulary, weighting: weighting,
      inverseDocumentFrequencies: inverseDocumentFrequencies)
    self.labels = labels
    self.pipeline = TextPipeline(configuration: pipeline, lexicon: lexicon)
    self.estimator = estimator
    self.provenance = provenance
    switch estimator {
    case .multinomialNaiveBayes(let counts, let configuration):
      precondition(
        counts.classCount == labels.count && counts.featureCount == featureCount,
        "TextClassifier: naive-Bayes counts do not match the labels or the feature count")
      linearModel = counts.linearModel(
        alpha: configuration.alpha, priorShift: configuration.priorShift)
    case .complementNaiveBayes(let counts, let configuration):
      precondition(
        counts.classCount == labels.count && counts.featureCount == featureCount,
        "TextClassifier: naive-Bayes counts do not match the labels or the feature count")
      linearModel = counts.complementLinearModel(
        alpha: configuration.alpha, normalize: configuration.normalize,
        priorShift: configuration.priorShift)
    case .logisticRegression(let model, _):
      precondition(
        model.classCount == labels.count && model.featureCount == featureCount,
        "TextClassifier: logistic-regression weights do not match the labels or the feature count")
      linearModel = model.linearModel
    case .embeddings(let model, _):
      precondition(
        model.classCount == labels.count && model.featureCount == featureCount,
        "TextClassifier: embedding weights do not match the labels or the feature count")
      linearModel = model
    case .linearSVM(let model, _):
      precondition(
        model.classCount == labels.count && model.featureCount == featureCount,
        "TextClassifier: support-vector weights do not match the labels or the feature count")
      linearModel = model
    case .oneVsRest(let model, let settings):
      precondition(
        model.classCount == labels.count && model.featureCount == featureCount
          && settings.thresholds.count == labels.count,
        "TextClassifier: one-vs-rest weights do not match the labels or the feature count")
      linearModel = model
    }
    if case .oneVsRest = estimator { isMultiLabel = true } else { isMultiLabel = false }
    if let vocabulary {
      scoringTable = ScoringTable(
        vocabulary: vocabulary, model: linearModel, bucketCount: pipeline.features.bucketCount,
        idf: featureSpace.inverseDocumentFrequencies, softmax: !isMultiLabel)
    } else {
      scoringTable = nil
    }
  }

  /// Classifies one message of UTF-8 bytes; the probabilities of all labels are left in
  /// `workspace.probabilities`.
  ///
  /// - Returns: The index of the most probable label (the first one on a tie) and its probability.
  @inline(__always)
  public func classify(utf8 bytes: UnsafeBufferPointer<UInt8>, workspace: inout Workspace) -> (
    label: Int, probability: Double
  ) {
    pipeline.extractFeatures(utf8: bytes, into: &workspace.text)
    if workspace.probabilities.count != labels.count {
      workspace.probabilities = [Double](repeating: 0, count: labels.count)
    }
    // The text, the probabilities and the merge scratch go to `score` as separate arguments:
    // distinct stored properties, so the text is borrowed in place. (Closures that touched
    // `workspace` while its text was read made the compiler copy the text buffers, three
    // retains and releases per message.)
    if scoringTable == nil && !weighting.isRawCounts {
      // Weighted features over every hash bucket (a pruned model took the table).
      featureSpace.vectorize(&workspace.text, into: &workspace.weighted, ordered: false)
      return score(workspace.weighted, probabilities: &workspace.probabilities)
    }
    return score(
      workspace.text, probabilities: &workspace.probabilities, distinct: &workspace.distinct)
  }

  /// Scores the features in `text` into `probabilities`; see ``classify(utf8:workspace:)``.
  @inline(__always)
  private func score(
    _ text: borrowing TextPipeline.Workspace, probabilities: inout [Double],
    distinct: inout DistinctScratch
  ) -> (label: Int, probability: Double) {
    if let scoringTable {
      // A pruned model: one table lookup per feature does it all.
      return text.withFeatures { features in
        probabilities.withUnsafeMutableBufferPointer { probabilities in
          linearModel.startFromBias(probabilities)
          if weighting.isRawCounts {
            scoringTable.addScores(features: features, to: probabilities)
          } else {
            scoringTable.addWeightedScores(
              features: features, weighting: weighting, to: probabilities, scratch: &distinct)
          }
          return best(&probabilities)
        }
      }
    }
    // Raw counts over every hash bucket (a pruned raw-count model took the table above).
    return text.withFeatures { features in
      probabilities.withUnsafeMutableBufferPointer { probabilities in
        linearModel.scores(features: features, into: probabilities)
        return best(&probabilities)
      }
    }
  }

  /// Scores a weighted feature vector into `probabilities`; see ``classify(utf8:workspace:)``.
  @inline(__always)
  private func score(_ vector: borrowing WeightedFeatures, probabilities: inout [Double]) -> (
    label: Int, probability: Double
  ) {
    vector.withVector { indices, values in
      probabilities.withUnsafeMutableBufferPointer { probabilities in
        linearModel.scores(indices: indices, values: values, into: probabilities)
        return best(&probabilities)
      }
    }
  }

  /// Turns log-domain scores into probabilities and picks the most probable label (the first
  /// one on a tie).
  @inline(__always)
  private func best(_ probabilities: inout UnsafeMutableBufferPointer<Double>) -> (
    label: Int, probability: Double
  ) {
    if isMultiLabel {
      for c in 0..<probabilities.count { probabilities[c] = 1 / (1 + exp(-probabilities[c])) }
    } else {
      LogDomain.softmax(&probabilities)
    }
    var best = 0
    for c in 1..<probabilities.count where probabilities[c] > probabilities[best] { best = c }
    return (best, probabilities[best])
  }

  /// The feature vector the model scores for one message: distinct feature indices, in the
  /// model's feature space (vocabulary indices when the model prunes, else hash buckets), in
  /// increasing order, with their values after the model's weighting (occurrence counts for raw
  /// counts).
  public func featureVector(_ text: String) -> [(index: UInt32, value: Float)] {
    var workspace = Workspace()
    var text = text
    text.withUTF8 { pipeline.extractFeatures(utf8: $0, into: &workspace.text) }
    featureSpace.vectorize(&workspace.text, into: &workspace.weighted)
    return workspace.weighted.withVector { indices, values in
      zip(indices, values).map { (index: $0, value: $1) }
    }
  }

  /// Classifies one message.
  public func predict(_ text: String) -> Prediction {
    var workspace = Workspace()
    var text = text
    let (label, probability) = text.withUTF8 { classify(utf8: $0, workspace: &workspace) }
    return Prediction(
      label: labels[label], labelIndex: label, probability: probability,
      probabilities: workspace.probabilities)
  }
}

/// What a model was trained on and how, recorded in the model file.
public struct Provenance: Sendable, Codable, Equatable {
  /// The training files, as given.
  public var files: [String]
  /// The line format they were read in.
  public var format: String
  /// The number of training examples.
  public var examples: Int
  /// The number of examples of each label.
  public var labelCounts: [String: Int]
  /// How long training took, in seconds.
  public var seconds: Double
  /// The Crible version that trained the model.
  public var cribleVersion: String
  /// Iterations of the optimiser, for iterative algorithms.
  public var iterations: Int?
  /// Whether the optimiser converged, for iterative algorithms.
  public var converged: Bool?
  /// Naive Bayes: how cross-validation chose α, when it did.
  public var smoothingSelection: SmoothingSelection?
  /// Linear support vector machine: how cross-validation chose the cost, when it did.
  public var costSelection: LinearSVM.CostSelection?
  /// How much each label's examples counted in training, when not all one.
  public var classWeights: [String: Double]?
  /// How many models were merged into this one (`crible merge`), when it was merged.
  public var mergedFrom: Int?

  /// Creates a record.
  public init(
    files: [String], format: String, examples: Int, labelCounts: [String: Int], seconds: Double,
    cribleVersion: String
  ) {
    self.files = files
    self.format = format
    self.examples = examples
    self.labelCounts = labelCounts
    self.seconds = seconds
    self.cribleVersion = cribleVersion
  }

  /// Records how much each label's examples counted (`weights[i]` for `labels[i]`), when the
  /// weights are not all one; every trainer that weighs its examples by label calls this.
  mutating func record(classWeights weights: [Float], labels: [String]) {
    guard weights.contains(where: { $0 != 1 }) else { return }
    classWeights = Dictionary(uniqueKeysWithValues: zip(labels, weights.map(Double.init)))
  }

  enum CodingKeys: String, CodingKey {
    case files, format, examples, seconds
    case labelCounts = "label_counts"
    case iterations, converged
    case cribleVersion = "crible_version"
    case smoothingSelection = "smoothing_selection"
    case costSelection = "cost_selection"
    case classWeights = "class_weights"
    case mergedFrom = "merged_from"
  }
}

/// Crible's version, recorded in the models it trains.
public enum CribleVersion {
  /// The version string.
  public static let current = "0.2.0"
}
