import Testing

@testable import Tokenization

/// The language presets change the feature families, never the normalisation.
@Suite struct LanguageTests {
  @Test func presetsDifferOnlyInTheirFeatureFamilies() {
    let auto = TextPipeline.Configuration(language: .auto)
    let zh = TextPipeline.Configuration(language: .zh)
    let fr = TextPipeline.Configuration(language: .fr)
    #expect(auto == TextPipeline.Configuration())
    #expect(zh.features.subwordNGrams == nil && zh.features.hanNGrams == 1...2)
    #expect(fr.features.subwordNGrams == 3...5 && fr.features.hanNGrams == 1...1)
    #expect(zh.normalization == auto.normalization && fr.normalization == auto.normalization)
    #expect(zh.tokenization == auto.tokenization && fr.tokenization == auto.tokenization)
  }

  @Test func everyPipelineStillReadsBothScripts() {
    for language in TextPipeline.Language.allCases {
      let pipeline = TextPipeline(configuration: .init(language: language))
      let features = pipeline.featureStrings("加 微 信 MERCI")
      #expect(features.contains("微") && features.contains("merci"), "\(language)")
      #expect(features.contains("微信") == (language != .fr), "\(language)")
    }
  }
}
