import ArgumentParser
import Classification

/// `crible merge`: add up naive-Bayes models trained on shards of a corpus.
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Merge naive-Bayes models trained on shards of a corpus into the whole corpus's model.",
    discussion: """
      Counts add, so the merged model labels exactly as one trained on all the shards at once. \
      Train every shard with the same options, --algorithm naive-bayes (or \
      complement-naive-bayes with --tf counts --no-idf --no-normalize), --max-features 0 (every \
      hash bucket a feature) and the same --alpha.
      """)

  @Argument(help: "The models to merge.")
  var models: [String]

  @Option(name: .shortAndLong, help: "Where to write the merged model.")
  var output: String

  func validate() throws {
    if models.isEmpty { throw ValidationError("Give at least one model to merge.") }
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      var loaded: [(name: String, classifier: TextClassifier)] = []
      for path in models { loaded.append((path, try ModelFile.load(path: path))) }
      let merged = try ModelMerge.merge(loaded)
      try ModelFile.save(merged, to: output)
      Console.error(
        "Merged \(models.count) models (\(merged.provenance?.examples ?? 0) examples; labels \(merged.labels.joined(separator: ", "))) into \(output)."
      )
    }
  }
}
