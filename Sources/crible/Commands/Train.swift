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

  @Option(help: "The line format of the training files: auto, tsv or fasttext.")
  var format: LabeledCorpus.Format = .auto

  @Option(
    help:
      "Logistic regression's solver: lbfgs (in memory), or adagrad (online mini-batches, streaming one file from disk)."
  )
  var solver: Solver = .lbfgs

  @Option(
    help:
      "AdaGrad, supervised embeddings: passes over the training data. (default: 5; embeddings: about 50,000 updates, 5 to 100 passes)"
  )
  var epochs: Int?

  @Option(help: "AdaGrad: examples per update.")
  var batchSize: Int = OnlineSettings().batchSize

  @Option(
    help:
      "AdaGrad: the base step size; supervised embeddings: the first learning rate, falling linearly to zero. (default: 0.5)"
  )
  var learningRate: Double?

  @Option(
    help:
      "AdaGrad, supervised embeddings: seeds the order of examples (and the first embeddings); equal seeds give equal models. (default: 1)"
  )
  var seed: UInt64?

  enum Solver: String, ExpressibleByArgument, CaseIterable {
    case lbfgs, adagrad
  }

  @Option(
    help: "Labelled data to report on after training; logistic regression also stops early on it.")
  var validation: String?

  @Flag(
    help:
      "Skip malformed lines (no tab, empty label or text) and count them, instead of stopping at the first."
  )
  var skipInvalid = false

  @Flag(
    help:
      "Multi-label data: a line may carry several labels (spam,fraud<TAB>text, or several __label__ prefixes); trains one binary model per label, each with its own probability and threshold (tuned on --validation when given, else 0.5)."
  )
  var multiLabel = false

  @Option(
    help: ArgumentHelp(
      "Choose LABEL's threshold on --validation so that its precision is at least P, keeping the most recall; stored in the model, applied by `label` (repeatable).",
      valueName: "LABEL=P"))
  var targetPrecision: [LabelThreshold] = []

  @Option(
    help: ArgumentHelp(
      "Choose LABEL's threshold on --validation so that its recall is at least R, keeping the most precision (repeatable).",
      valueName: "LABEL=R"))
  var targetRecall: [LabelThreshold] = []

  @OptionGroup var model: ModelOptions

  @OptionGroup var threading: ThreadOptions

  func validate() throws {
    if multiLabel && solver == .adagrad {
      throw ValidationError("--multi-label trains in memory; it does not take --solver adagrad.")
    }
    if files.isEmpty { throw ValidationError("Give at least one training file.") }
    if !(targetPrecision.isEmpty && targetRecall.isEmpty) && validation == nil {
      throw ValidationError(
        "--target-precision and --target-recall choose thresholds on held-out data: give it with --validation."
      )
    }
    if solver == .adagrad
      && ((model.algorithmChoice ?? .logisticRegression) != .logisticRegression
        || files.count != 1 || files == ["-"])
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
    // The online solver trains logistic regression, whatever the default algorithm.
    var model = self.model
    if solver == .adagrad && model.algorithmChoice == nil {
      model.algorithmChoice = .logisticRegression
    }
    try reportingFailures { () throws(CribleError) in
      var options = try model.trainingOptions(threads: threading.threads)
      options.setEmbeddingSchedule(epochs: epochs, learningRate: learningRate, seed: seed)
      try options.validate()
      var corpora: [LabeledCorpus] = []
      // The online solver streams its file; the others read every file into memory.
      for file in files where solver == .lbfgs {
        Console.progress("reading \(file)")
        let corpus = try LabeledCorpus.load(
          path: file, format: format, multiLabel: multiLabel, skipInvalid: skipInvalid)
        reportSkipped(corpus)
        corpora.append(corpus)
      }
      if let validation {
        options.validation = try LabeledCorpus.load(
          path: validation, format: format, multiLabel: multiLabel)
      }
      Console.progress(
        solver == .adagrad
          ? "training \(model.algorithm.rawValue) online from \(files[0])"
          : "training \(model.algorithm.rawValue) on \(corpora.reduce(0) { $0 + $1.count }) examples"
      )
      var classifier =
        solver == .adagrad
        ? try Trainer.trainOnline(
          path: files[0], format: format, options: options,
          online: OnlineSettings(
            epochs: epochs ?? OnlineSettings().epochs, batchSize: batchSize,
            learningRate: learningRate ?? OnlineSettings().learningRate,
            seed: seed ?? OnlineSettings().seed))
        : try Trainer.train(corpora, options: options)
      var targets: [String: ThresholdSelection.Target] = [:]
      for item in targetPrecision { targets[item.label] = .precision(item.probability) }
      for item in targetRecall { targets[item.label] = .recall(item.probability) }
      if !targets.isEmpty, let held = options.validation {
        let relabelled = try LabeledCorpus.load(
          path: held.source, format: format, labels: classifier.labels,
          multiLabel: classifier.isMultiLabel)
        let (tuned, choices) = try ThresholdSelection.apply(
          to: classifier, validation: relabelled, targets: targets, threads: threading.threads)
        classifier = tuned
        for choice in choices {
          Console.error(
            "Threshold for \(choice.label): \(String(format: "%.4f", choice.threshold)), precision \(String(format: "%.4f", choice.precision)), recall \(String(format: "%.4f", choice.recall)) on \(held.source)\(choice.reached ? "" : " (the target is out of reach; this is the closest)")."
          )
        }
      }
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
      if provenance.converged == false, let solver = model.algorithm.convergingSolverName {
        let iterations = provenance.iterations ?? 0
        Console.error(
          "crible: warning: \(solver) stopped after \(iterations) iteration\(iterations == 1 ? "" : "s") without reaching the tolerance; raise --max-iterations or --tolerance."
        )
      }
      if let selection = provenance.smoothingSelection {
        func listed(_ scores: [Double]) -> String {
          zip(selection.candidates, scores).map { "\($0) \(String(format: "%.4f", $1))" }
            .joined(separator: ", ")
        }
        if let shift = selection.priorShift, let shifted = selection.shiftedMacroF1 {
          Console.error(
            "Chose alpha \(selection.alpha) and a shift of \(String(format: "%.4f", shift)) to \(classifier.labels[1])'s \(classifier.estimator.algorithmName == Algorithm.naiveBayes.rawValue ? "log-prior" : "score") by \(SmoothingSelection.defaultFolds)-fold cross-validation (macro-F1 with each alpha's best shift: \(listed(shifted)); without: \(listed(selection.macroF1)))."
          )
        } else {
          Console.error(
            "Chose alpha \(selection.alpha) by \(SmoothingSelection.defaultFolds)-fold cross-validation (macro-F1 \(listed(selection.macroF1)))."
          )
        }
      }
      if let selection = provenance.costSelection {
        let scores = selection.macroF1.indices.map { index in
          let weights = selection.classWeights.map { " \($0[index])" } ?? ""
          return
            "C \(selection.candidates[index])\(weights) \(String(format: "%.4f", selection.macroF1[index]))"
        }
        let weights = selection.chosenClassWeights.map { " with \($0) class weights" } ?? ""
        Console.error(
          "Chose C \(selection.cost)\(weights) by \(LinearSVM.Configuration.defaultFolds)-fold cross-validation (macro-F1: \(scores.joined(separator: ", ")))."
        )
      }
      let counts = classifier.labels.map { "\($0) \(provenance.labelCounts[$0] ?? 0)" }
      Console.error(
        "Trained \(model.algorithm.rawValue) on \(provenance.examples) examples (\(counts.joined(separator: ", "))) in \(formatSeconds(provenance.seconds)); wrote \(output)."
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
