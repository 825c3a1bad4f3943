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
  /// Multinomial naive Bayes with Lidstone smoothing.
  case naiveBayes = "naive-bayes"
}

/// Everything that decides what a training run produces.
public struct TrainingOptions: Sendable {
  /// The algorithm.
  public var algorithm: Algorithm
  /// Naive-Bayes settings.
  public var naiveBayes: MultinomialNaiveBayes.Configuration
  /// The text pipeline, stored in the model.
  public var pipeline: TextPipeline.Configuration
  /// Labels to rename while reading (`toxic` → `offensive`), so corpora can be merged.
  public var labelMapping: [String: String]
  /// The number of workers; `nil` for the default (see ``Parallelism``).
  public var threads: Int?

  /// Creates options; the defaults are the recommended settings.
  public init(
    algorithm: Algorithm = .naiveBayes,
    naiveBayes: MultinomialNaiveBayes.Configuration = .init(),
    pipeline: TextPipeline.Configuration = .init(),
    labelMapping: [String: String] = [:],
    threads: Int? = nil
  ) {
    self.algorithm = algorithm
    self.naiveBayes = naiveBayes
    self.pipeline = pipeline
    self.labelMapping = labelMapping
    self.threads = threads
  }

  /// Checks the settings before any work starts.
  public func validate() throws(CribleError) {
    if let problem = pipeline.features.validationError() ?? naiveBayes.validationError() {
      throw CribleError(.badConfiguration, problem)
    }
  }
}

/// Trains classifiers from labelled corpora.
public enum Trainer {
  /// Trains a classifier on one or more corpora, whose labels are merged (after
  /// `options.labelMapping`) into one sorted label set.
  ///
  /// Feature extraction runs on every core; counting is then a single pass, so the result does
  /// not depend on the number of threads.
  /// - Throws: ``CribleError`` when the options are invalid or the corpora have fewer than two
  ///   labels.
  public static func train(_ corpora: [LabeledCorpus], options: TrainingOptions) throws(CribleError)
    -> TextClassifier
  {
    try options.validate()
    let started = monotonicSeconds()
    let mapped: [[String]] = corpora.map { corpus in
      corpus.labels.map { options.labelMapping[$0] ?? $0 }
    }
    let labels = Set(mapped.joined()).sorted()
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
    let pipeline = TextPipeline(configuration: options.pipeline)
    var counts = MultinomialNaiveBayes(classCount: labels.count, featureCount: pipeline.bucketCount)
    var labelCounts = [String: Int]()
    for ((corpus, names), translate) in zip(zip(corpora, mapped), translations) {
      let shards = FeatureShards.extract(corpus, pipeline: pipeline, threads: options.threads)
      for shard in shards {
        shard.features.withUnsafeBufferPointer { features in
          for (position, example) in shard.examples.enumerated() {
            let range = shard.offsets[position]..<shard.offsets[position + 1]
            counts.add(
              features: UnsafeBufferPointer(rebasing: features[range]),
              label: translate[corpus.label(at: example)])
          }
        }
      }
      for (index, count) in corpus.labelCounts.enumerated() {
        labelCounts[names[index], default: 0] += count
      }
    }
    let provenance = Provenance(
      files: corpora.map(\.source),
      format: Set(corpora.map(\.format.rawValue)).sorted().joined(separator: ","),
      examples: corpora.reduce(0) { $0 + $1.count }, labelCounts: labelCounts,
      seconds: monotonicSeconds() - started, cribleVersion: CribleVersion.current)
    return TextClassifier(
      labels: labels, pipeline: options.pipeline,
      estimator: .multinomialNaiveBayes(counts, options.naiveBayes), provenance: provenance)
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
    let workers = min(Parallelism.workerCount(requested: threads), max(1, corpus.count / 256))
    let bounds = (0...workers).map { corpus.count * $0 / workers }
    var slots = [FeatureShards?](repeating: nil, count: workers)
    slots.withUnsafeMutableBufferPointer { slots in
      Parallelism.forEach(workers) { worker in
        var workspace = TextPipeline.Workspace()
        var shard = FeatureShards(
          examples: bounds[worker]..<bounds[worker + 1], offsets: [0], features: [])
        shard.offsets.reserveCapacity(shard.examples.count + 1)
        for example in shard.examples {
          corpus.withText(at: example) { pipeline.extractFeatures(utf8: $0, into: &workspace) }
          workspace.withFeatures { shard.features.append(contentsOf: $0) }
          shard.offsets.append(shard.features.count)
        }
        slots[worker] = shard
      }
    }
    return slots.compactMap { $0 }
  }
}

/// Seconds on a monotonic clock, for durations.
func monotonicSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
