import ArgumentParser
import Classification
import Foundation
import Tokenization

/// `crible train`: fit a classifier to labelled files and write a model.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a classifier on labelled messages and write a model file.",
    discussion: """
      Each line of a training file is one example: `label<TAB>text`, or fastText's \
      `__label__label text`. Several files are merged; --map-label renames labels while reading, \
      so that corpora with different label names can be merged.
      """)

  @Argument(help: "Training files (`-` for standard input).")
  var files: [String]

  @Option(name: .shortAndLong, help: "Where to write the model (for example model.crible).")
  var output: String

  @Option(help: "The training algorithm.")
  var algorithm: Algorithm = .defaultAlgorithm

  @Option(help: "The line format of the training files: auto, tsv or fasttext.")
  var format: LabeledCorpus.Format = .auto

  @Option(
    help:
      "Naive Bayes's smoothing (Lidstone alpha); by default 5-fold cross-validation on the training data chooses it among 0.03, 0.1, 0.3, 1 and 3."
  )
  var alpha: Double?

  @Option(
    help:
      "A jieba-format dictionary (word frequency [tag] per line): Chinese is also cut into its words."
  )
  var dictionary: String?

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
    help: "Scale each message's feature values to unit Euclidean length (default: the algorithm's)."
  )
  var normalize: Bool?

  @Flag(help: "Complement naive Bayes: normalise each class's weights (Rennie et al.).")
  var complementNorm = false

  @Option(help: "Logistic regression: the L2 strength (scikit-learn's C is 1 / (l2 · examples)).")
  var l2: Double = LogisticRegression.Configuration.defaultL2

  @Option(
    help:
      "Logistic regression's solver: lbfgs (in memory), or adagrad (online mini-batches, streaming one file from disk)."
  )
  var solver: Solver = .lbfgs

  @Option(help: "AdaGrad: passes over the training file.")
  var epochs: Int = OnlineSettings().epochs

  @Option(help: "AdaGrad: examples per update.")
  var batchSize: Int = OnlineSettings().batchSize

  @Option(help: "AdaGrad: the base step size.")
  var learningRate: Double = OnlineSettings().learningRate

  @Option(help: "AdaGrad: seeds the order of examples; equal seeds give equal models.")
  var seed: UInt64 = OnlineSettings().seed

  enum Solver: String, ExpressibleByArgument, CaseIterable {
    case lbfgs, adagrad
  }

  @Option(help: "Logistic regression: the most L-BFGS iterations.")
  var maxIterations: Int = LogisticRegression.Configuration().maxIterations

  @Option(help: "Logistic regression: stop when no gradient component exceeds this.")
  var tolerance: Double = LogisticRegression.Configuration().tolerance

  @Option(
    help: "Labelled data to report on after training; logistic regression also stops early on it.")
  var validation: String?

  @Option(
    help: "How much each label's examples count: balanced, or label=weight,... (default: all one).")
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

  @Flag(
    help:
      "Multi-label data: a line may carry several labels (spam,fraud<TAB>text, or several __label__ prefixes); trains one binary model per label, each with its own probability and threshold (tuned on --validation when given, else 0.5)."
  )
  var multiLabel = false

  @OptionGroup var threading: ThreadOptions

  func validate() throws {
    if multiLabel && solver == .adagrad {
      throw ValidationError("--multi-label trains in memory; it does not take --solver adagrad.")
    }
    if files.isEmpty { throw ValidationError("Give at least one training file.") }
    if solver == .adagrad
      && (algorithm != .logisticRegression || files.count != 1 || files == ["-"])
    {
      throw ValidationError(
        "--solver adagrad trains logistic regression from one training file (not standard input), which it reads again each epoch."
      )
    }
    if files.filter({ $0 == "-" }).count > 1 {
      throw ValidationError("Standard input (-) can be read only once.")
    }
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      var pipeline = TextPipeline.Configuration(language: language)
      if let hanNgrams { pipeline.features.hanNGrams = hanNgrams.range }
      if let subwords {
        pipeline.features.subwordNGrams = subwords.range == 0...0 ? nil : subwords.range
      }
      pipeline.features.wordNGrams = wordNgrams
      pipeline.features.bucketBits = bucketBits
      pipeline.features.lightStemming = stem
      var weighting = TrainingOptions.defaultWeighting(for: algorithm)
      if let tf { weighting.termFrequency = tf }
      if let idf { weighting.inverseDocumentFrequency = idf }
      if let normalize { weighting.l2Normalize = normalize }
      for step in disable { step.disable(in: &pipeline) }
      var options = TrainingOptions(
        algorithm: algorithm,
        naiveBayes: .init(alpha: alpha ?? MultinomialNaiveBayes.Configuration.defaultAlpha),
        complementNaiveBayes: .init(
          alpha: alpha ?? TextClassifier.Estimator.ComplementConfiguration.defaultAlpha,
          normalize: complementNorm),
        logisticRegression: .init(l2: l2, maxIterations: maxIterations, tolerance: tolerance),
        weighting: weighting,
        minCount: minCount, maxFeatures: maxFeatures == 0 ? nil : maxFeatures,
        classWeights: classWeight?.weights ?? .uniform,
        pipeline: pipeline,
        labelMapping: Dictionary(labelRenamings.map { ($0.from, $0.to) }, uniquingKeysWith: { $1 }),
        threads: threading.threads)
      if let dictionary {
        options.lexicon = try loadLexicon(
          dictionary, pipeline: TextPipeline(configuration: pipeline))
        options.pipeline.features.hanWords = true
      }
      if alpha == nil { options.smoothingCandidates = SmoothingSelection.defaultCandidates }
      try options.validate()
      var corpora: [LabeledCorpus] = []
      // The online solver streams its file; the others read every file into memory.
      for file in files where solver == .lbfgs {
        Console.progress("reading \(file)")
        corpora.append(try LabeledCorpus.load(path: file, format: format, multiLabel: multiLabel))
      }
      if let validation {
        options.validation = try LabeledCorpus.load(
          path: validation, format: format, multiLabel: multiLabel)
      }
      Console.progress(
        solver == .adagrad
          ? "training \(algorithm.rawValue) online from \(files[0])"
          : "training \(algorithm.rawValue) on \(corpora.reduce(0) { $0 + $1.count }) examples")
      let classifier =
        solver == .adagrad
        ? try Trainer.trainOnline(
          path: files[0], format: format, options: options,
          online: OnlineSettings(
            epochs: epochs, batchSize: batchSize, learningRate: learningRate, seed: seed))
        : try Trainer.train(corpora, options: options)
      try ModelFile.save(classifier, to: output)
      Console.endProgress()
      if let validation, classifier.isMultiLabel {
        let corpus = try LabeledCorpus.load(
          path: validation, format: format, labels: classifier.labels, multiLabel: true)
        let report = Evaluator.evaluateMultiLabel(
          classifier, on: corpus, threads: threading.threads)
        Console.error(
          "Validation on \(validation): subset accuracy \(String(format: "%.4f", report.subsetAccuracy)), micro-F1 \(String(format: "%.4f", report.microF1)), macro-F1 \(String(format: "%.4f", report.macroF1)) (\(report.examples) examples)."
        )
      } else if let validation {
        let corpus = try LabeledCorpus.load(
          path: validation, format: format, labels: classifier.labels)
        let report = Evaluator.evaluate(classifier, on: corpus, threads: threading.threads)
        Console.error(
          "Validation on \(validation): accuracy \(String(format: "%.4f", report.accuracy)), macro-F1 \(String(format: "%.4f", report.macroF1)) (\(report.examples) examples)."
        )
      }
      guard let provenance = classifier.provenance else { return }
      if provenance.converged == false {
        Console.error(
          "crible: warning: L-BFGS stopped after \(provenance.iterations ?? 0) iterations without reaching the tolerance; raise --max-iterations or --tolerance."
        )
      }
      if let selection = provenance.smoothingSelection {
        let tried = zip(selection.candidates, selection.macroF1).map {
          "\($0) \(String(format: "%.4f", $1))"
        }
        Console.error(
          "Chose alpha \(selection.alpha) by 5-fold cross-validation (macro-F1 \(tried.joined(separator: ", ")))."
        )
      }
      let counts = classifier.labels.map { "\($0) \(provenance.labelCounts[$0] ?? 0)" }
      Console.error(
        "Trained \(algorithm.rawValue) on \(provenance.examples) examples (\(counts.joined(separator: ", "))) in \(formatSeconds(provenance.seconds)); wrote \(output)."
      )
    }
  }
}

func formatSeconds(_ seconds: Double) -> String {
  let hundredths = Int((seconds * 100).rounded())
  return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) s"
}

/// Reads a jieba-format dictionary, normalised by `pipeline`.
func loadLexicon(_ path: String, pipeline: TextPipeline) throws(CribleError) -> Lexicon {
  let bytes: [UInt8]
  do {
    bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
  } catch {
    throw CribleError(
      .cannotOpen, "Cannot read the dictionary \(path). Check the path and its permissions.")
  }
  let text = String(decoding: bytes, as: UTF8.self)
  switch Lexicon.parse(
    text, normalize: { pipeline.normalizer.normalize($0).unicodeScalars.map(\.value) })
  {
  case .success(let lexicon): return lexicon
  case .failure(let error):
    throw CribleError(
      .badData,
      "Line \(error.line) of the dictionary \(path) cannot be read: \(error.reason). Each line is a word, its frequency, and optionally a tag."
    )
  }
}
