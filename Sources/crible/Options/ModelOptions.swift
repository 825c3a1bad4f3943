import ArgumentParser
import Classification
import Foundation
import Tokenization

/// The options that decide what model training produces.
///
/// The algorithm, its hyper-parameters, the weighting and the pipeline; shared by `train`,
/// `cross-validate` and `tune`.
struct ModelOptions: ParsableArguments {
  @Option(
    name: .customLong("algorithm"),
    help:
      "The training algorithm. (default: linear-svm, which measured best; logistic-regression with train --solver adagrad)"
  )
  var algorithmChoice: Algorithm?

  /// The algorithm given, else the default.
  var algorithm: Algorithm { algorithmChoice ?? .defaultAlgorithm }

  @Option(
    help:
      "Naive Bayes's smoothing (Lidstone alpha); by default 5-fold cross-validation on the training data chooses it among 0.03, 0.1, 0.3, 1 and 3 (with two labels, also a shift of the second label's score)."
  )
  var alpha: Double?

  @Option(
    help:
      "A jieba-format dictionary (word frequency [tag] per line): Chinese is also cut into its words."
  )
  var dictionary: String?

  @Flag(
    help:
      "Numbers also give the subwords of their digits, as words do (<400, 4006, ...; telephone numbers excepted): their digits help on spam corpora."
  )
  var numberSubwords = false

  @Flag(
    inversion: .prefixedNo,
    help:
      "End every message with one more feature, </s>, as fastText does (default: on for supervised embeddings, off for the others)."
  )
  var endOfMessage: Bool?

  @Flag(
    inversion: .prefixedNo,
    help:
      "In messages with Chinese characters, read numbers as Chinese characters: they join the runs they touch and give digit n-grams (default: on for logistic regression, embeddings and the linear SVM, off for naive Bayes)."
  )
  var hanNumbers: Bool?

  @Flag(help: "Cut words of six letters or more to a light French stem.")
  var stem = false

  @Option(
    help:
      "How occurrences count: counts, binary or sublinear (1 + ln count); default: the algorithm's."
  )
  var tf: FeatureWeighting.TermFrequency?

  @Flag(
    inversion: .prefixedNo,
    help: "Multiply feature values by their inverse document frequency (default: the algorithm's).")
  var idf: Bool?

  @Flag(
    inversion: .prefixedNo,
    help:
      "Scale each message's feature values to unit Euclidean length (supervised embeddings: to unit sum, their mean) (default: the algorithm's)."
  )
  var normalize: Bool?

  @Option(help: "Supervised embeddings: the length of each feature's embedding. (default: 50)")
  var dimension: Int?

  @Flag(help: "Complement naive Bayes: normalise each class's weights (Rennie et al.).")
  var complementNorm = false

  @Option(
    help: """
      Logistic regression: the L2 strength (scikit-learn's C is 1 / (l2 · examples)); by \
      default 1e-5, or 1 / (10 · examples) above 10,000 examples.
      """)
  var l2: Double?

  @Option(
    help: """
      Linear support vector machine: the cost C (scikit-learn's LinearSVC C); by default 5-fold \
      cross-validation on the training data chooses it among 0.1, 0.3, 1 and 3, with balanced \
      or uniform class weights (unless --class-weight is given).
      """)
  var cost: Double?

  @Option(
    help:
      "Logistic regression: the most L-BFGS iterations; linear SVM: the most passes. (default: 500; linear SVM: 1000)"
  )
  var maxIterations: Int?

  @Option(
    help:
      "Logistic regression: stop when no gradient component exceeds this; linear SVM: when the dual's projected gradients span at most this. (default: 1e-4; linear SVM: 0.01)"
  )
  var tolerance: Double?

  @Option(
    help:
      "How much each label's examples count: balanced (inversely to their number), uniform (all one), or label=weight,... (default: balanced for logistic regression, supervised embeddings and the linear SVM, uniform for naive Bayes)."
  )
  var classWeight: ClassWeightArgument?

  @Option(help: "Keep only features seen in at least this many training examples.")
  var minCount: Int = 1

  @Option(help: "Keep at most this many features, the most frequent (0: keep every bucket).")
  var maxFeatures: Int = TrainingOptions.defaultMaxFeatures

  @Option(help: "Hash features into 2^bits buckets.")
  var bucketBits: Int = FeatureExtractor.Configuration().bucketBits

  @Option(
    help: ArgumentHelp(
      "The language the pipeline is set up for: auto (Chinese and French), zh or fr; --han-ngrams and --subwords override it.",
      valueName: TextPipeline.Language.allCases.map(\.rawValue).joined(separator: "|")))
  var language: TextPipeline.Language = .auto

  @Option(
    help:
      "Lengths of the character n-grams taken in runs of Chinese characters (default: 1-2, or 1 for --language fr)."
  )
  var hanNgrams: LengthRange?

  @Option(help: "The longest word n-gram (1: single words).")
  var wordNgrams: Int = FeatureExtractor.Configuration().wordNGrams

  @Option(
    help:
      "Lengths of the character n-grams taken inside words, such as 3-5, or 0 for none (default: 3-5, or 0 for --language zh)."
  )
  var subwords: LengthRange?

  @Option(
    help: ArgumentHelp(
      "Turn a pipeline step off (repeatable).",
      valueName: PipelineStep.allCases.map(\.rawValue).joined(separator: "|")))
  var disable: [PipelineStep] = []

  @Option(
    name: .customLong("map-label"), help: "Rename a label while reading, as from=to (repeatable).")
  var labelRenamings: [LabelRenaming] = []

  @Option(
    help:
      "The model's labels, comma-separated, declared up front (default: those of the data); shards whose models will be merged declare the same."
  )
  var labels: String?

  /// Makes the pipeline choices that depend on the algorithm for `algorithm`: whether messages
  /// end with `</s>` and whether numbers are read as Han, as `--[no-]end-of-message` and
  /// `--[no-]han-numbers` say, else the algorithm's defaults.
  func applyAlgorithmChoices(
    for algorithm: Algorithm, to pipeline: inout TextPipeline.Configuration
  ) {
    pipeline.features.endOfMessage =
      endOfMessage ?? TrainingOptions.defaultEndOfMessage(for: algorithm)
    pipeline.tokenization.numbersAsHan =
      hanNumbers ?? TrainingOptions.defaultNumbersAsHan(for: algorithm)
  }

  /// The training options these arguments describe.
  ///
  /// - Throws: ``CribleError`` when the dictionary cannot be read.
  func trainingOptions(threads: Int?) throws(CribleError) -> TrainingOptions {
    var pipeline = TextPipeline.Configuration(language: language)
    if let hanNgrams { pipeline.features.hanNGrams = hanNgrams.range }
    if let subwords {
      pipeline.features.subwordNGrams = subwords.range == 0...0 ? nil : subwords.range
    }
    pipeline.features.wordNGrams = wordNgrams
    pipeline.features.bucketBits = bucketBits
    pipeline.features.lightStemming = stem
    pipeline.features.numberSubwords = numberSubwords
    applyAlgorithmChoices(for: algorithm, to: &pipeline)
    var weighting = TrainingOptions.defaultWeighting(for: algorithm)
    if let tf { weighting.termFrequency = tf }
    if let idf { weighting.inverseDocumentFrequency = idf }
    if let normalize {
      if weighting.l1Normalize {
        weighting.l1Normalize = normalize
      } else {
        weighting.l2Normalize = normalize
      }
    }
    for step in disable { step.disable(in: &pipeline) }
    var options = TrainingOptions(
      algorithm: algorithm,
      naiveBayes: .init(alpha: alpha ?? MultinomialNaiveBayes.Configuration.defaultAlpha),
      complementNaiveBayes: .init(
        alpha: alpha ?? TextClassifier.Estimator.ComplementConfiguration.defaultAlpha,
        normalize: complementNorm),
      logisticRegression: .init(
        l2: l2 ?? LogisticRegression.Configuration.defaultL2,
        maxIterations: maxIterations ?? LogisticRegression.Configuration().maxIterations,
        tolerance: tolerance ?? LogisticRegression.Configuration().tolerance),
      embeddings: .init(dimension: dimension ?? SupervisedEmbeddings.Configuration().dimension),
      linearSVM: .init(
        cost: cost ?? LinearSVM.Configuration().cost,
        tolerance: tolerance ?? LinearSVM.Configuration().tolerance,
        maxIterations: maxIterations ?? LinearSVM.Configuration().maxIterations),
      costCandidates: cost == nil ? LinearSVM.Configuration.defaultCandidates : nil,
      automaticL2: l2 == nil,
      weighting: weighting,
      minCount: minCount, maxFeatures: maxFeatures == 0 ? nil : maxFeatures,
      classWeights: classWeight?.weights,
      pipeline: pipeline,
      labelMapping: Dictionary(labelRenamings.map { ($0.from, $0.to) }, uniquingKeysWith: { $1 }),
      threads: threads)
    if let dictionary {
      options.lexicon = try loadLexicon(
        dictionary, pipeline: TextPipeline(configuration: pipeline))
      options.pipeline.features.hanWords = true
    }
    if alpha == nil { options.smoothingCandidates = SmoothingSelection.defaultCandidates }
    options.labels = labels.map {
      $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    }
    return options
  }
}

extension TrainingOptions {
  /// Applies the supervised embeddings' schedule given on the command line (`train` and
  /// `cross-validate` share it): a fixed number of passes instead of the automatic one, the first
  /// learning rate, and the seed of the example order and first embeddings.
  mutating func setEmbeddingSchedule(epochs: Int?, learningRate: Double?, seed: UInt64?) {
    if let epochs {
      embeddings.epochs = epochs
      automaticEpochs = false
    }
    if let learningRate { embeddings.learningRate = learningRate }
    if let seed { embeddings.seed = seed }
  }
}
