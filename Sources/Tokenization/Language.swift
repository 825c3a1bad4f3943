extension TextPipeline {
  /// The language a pipeline is set up for.
  ///
  /// Every pipeline tokenises by script runs, so any of them reads a message that mixes Chinese,
  /// French and English; the language only decides which feature families are worth their cost:
  ///
  /// | language | Han runs | Latin words |
  /// |---|---|---|
  /// | ``auto`` | character 1-2-grams | words and subwords 3-5 |
  /// | ``zh`` | character 1-2-grams | whole words only (pinyin, brand names, English) |
  /// | ``fr`` | single characters | words and subwords 3-5 |
  ///
  /// ``zh`` drops the subwords that absorb French misspellings, ``fr`` the Han bigrams that carry
  /// Chinese meaning; both keep every normalisation step.
  public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    /// Chinese and French alike: the default pipeline.
    case auto
    /// Chinese messages.
    case zh
    /// French messages.
    case fr
  }
}

extension TextPipeline.Configuration {
  /// The recommended configuration for messages in `language`.
  ///
  /// - Parameter language: The language the messages are written in.
  public init(language: TextPipeline.Language) {
    self.init()
    switch language {
    case .auto: break
    case .zh: features.subwordNGrams = nil
    case .fr: features.hanNGrams = 1...1
    }
  }
}
