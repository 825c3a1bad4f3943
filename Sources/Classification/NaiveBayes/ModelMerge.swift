/// Merges naive-Bayes models trained on shards of a corpus into the model of the whole corpus.
///
/// Naive Bayes keeps counts, and counts add: with the same pipeline, every hash bucket a
/// feature (no vocabulary pruning, which would choose different buckets on each shard) and raw
/// counts, the merged model has exactly the counts of one trained on all the shards, so it
/// labels identically. Labels are the union of the shards' labels.
public enum ModelMerge {
  /// Merges `models`.
  ///
  /// - Parameter models: Naive-Bayes (or complement naive-Bayes) models of one algorithm, with
  ///   the same pipeline, smoothing and weighting, without a vocabulary, and with raw counts.
  /// - Returns: The merged model.
  /// - Throws: ``CribleError`` of kind ``CribleError/Kind/badConfiguration`` naming the first
  ///   model that cannot be merged and why.
  public static func merge(_ models: [(name: String, classifier: TextClassifier)])
    throws(CribleError) -> TextClassifier
  {
    guard let (firstName, first) = models.first else {
      throw CribleError(.badConfiguration, "Give at least one model to merge.")
    }
    func refuse(_ name: String, _ reason: String) -> CribleError {
      CribleError(.badConfiguration, "Cannot merge \(name): \(reason)")
    }
    for (name, model) in models {
      guard model.estimator.counts != nil, !model.isMultiLabel else {
        throw refuse(
          name,
          "only naive-Bayes models keep counts; it is \(model.estimator.algorithmName)\(model.isMultiLabel ? " (multi-label)" : "")."
        )
      }
      guard model.estimator.algorithmName == first.estimator.algorithmName else {
        throw refuse(
          name,
          "it is \(model.estimator.algorithmName) and \(firstName) is \(first.estimator.algorithmName)."
        )
      }
      guard model.vocabulary == nil else {
        throw refuse(
          name,
          "it prunes its features to a vocabulary chosen on its own shard. Train every shard with --max-features 0."
        )
      }
      guard model.weighting.isRawCounts else {
        throw refuse(
          name,
          "it weighs features (TF-IDF fitted on its own shard). Train every shard with --tf counts --no-idf --no-normalize."
        )
      }
      guard model.pipeline.configuration == first.pipeline.configuration,
        model.pipeline.lexicon?.words == first.pipeline.lexicon?.words
      else {
        throw refuse(
          name,
          "its text pipeline differs from \(firstName)'s. Train every shard with the same options.")
      }
      guard model.estimator.hyperparameters == first.estimator.hyperparameters else {
        throw refuse(
          name,
          "its smoothing or prior shift differs from \(firstName)'s. Train every shard with the same --alpha."
        )
      }
    }
    let labels = Array(Set(models.flatMap(\.classifier.labels))).sorted()
    var counts = MultinomialNaiveBayes(
      classCount: labels.count, featureCount: first.pipeline.bucketCount)
    var examples = 0
    var labelCounts: [String: Int] = [:]
    var files: [String] = []
    var seconds = 0.0
    for (name, model) in models {
      guard let modelCounts = model.estimator.counts else { continue }
      counts.merge(modelCounts, classes: model.labels.map { labels.firstIndex(of: $0) ?? 0 })
      if let provenance = model.provenance {
        examples += provenance.examples
        labelCounts.merge(provenance.labelCounts, uniquingKeysWith: +)
        files += provenance.files
        seconds += provenance.seconds
      } else {
        files.append(name)
      }
    }
    let estimator: TextClassifier.Estimator
    switch first.estimator {
    case .multinomialNaiveBayes(_, let configuration):
      estimator = .multinomialNaiveBayes(counts, configuration)
    case .complementNaiveBayes(_, let configuration):
      estimator = .complementNaiveBayes(counts, configuration)
    default:
      throw refuse(firstName, "only naive-Bayes models keep counts.")
    }
    var provenance = Provenance(
      files: files, format: first.provenance?.format ?? "tsv", examples: examples,
      labelCounts: labelCounts, seconds: seconds, cribleVersion: CribleVersion.current)
    provenance.mergedFrom = models.count
    return TextClassifier(
      labels: labels, pipeline: first.pipeline.configuration, lexicon: first.pipeline.lexicon,
      estimator: estimator, weighting: first.weighting, provenance: provenance)
  }
}
