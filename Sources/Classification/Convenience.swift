extension TextClassifier {
  /// Loads a model file.
  ///
  /// - Parameter path: A `.crible` file.
  /// - Throws: ``CribleError`` when the file cannot be read or is not a valid model.
  public init(contentsOf path: String) throws(CribleError) {
    self = try ModelFile.load(path: path)
  }

  /// Writes the model to `path`, atomically.
  ///
  /// - Throws: ``CribleError`` when the file cannot be written.
  public func save(to path: String) throws(CribleError) {
    try ModelFile.save(self, to: path)
  }

  /// Classifies a batch of messages on every core.
  ///
  /// - Parameters:
  ///   - texts: The messages.
  ///   - threads: Workers; `nil` for the default (see ``Parallelism``).
  /// - Returns: One prediction per message, in order.
  public func predict(_ texts: [String], threads: Int? = nil) -> [Prediction] {
    Parallelism.map(texts.count, threads: threads, minimumPerWorker: 64) { indices in
      var workspace = Workspace()
      return indices.map { index in
        var text = texts[index]
        let (label, probability) = text.withUTF8 { classify(utf8: $0, workspace: &workspace) }
        return Prediction(
          label: labels[label], labelIndex: label, probability: probability,
          probabilities: workspace.probabilities)
      }
    }
  }
}

extension Trainer {
  /// Trains a classifier on messages and their labels held in memory.
  ///
  /// - Parameters:
  ///   - texts: The messages, one line each.
  ///   - labels: Each message's label.
  ///   - options: How to train; the defaults are the recommended settings.
  /// - Returns: The classifier.
  /// - Throws: ``CribleError`` when a label is empty, a text has a line break, or there are
  ///   fewer than two labels.
  public static func train(
    texts: [String], labels: [String], options: TrainingOptions = TrainingOptions()
  ) throws(CribleError) -> TextClassifier {
    try train([LabeledCorpus(texts: texts, labels: labels)], options: options)
  }
}
