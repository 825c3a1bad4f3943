import Testing

@testable import Classification

@Suite struct LabeledCorpusTests {
  func corpus(_ text: String, format: LabeledCorpus.Format = .auto, labels: [String]? = nil) throws
    -> LabeledCorpus
  {
    try LabeledCorpus(bytes: Array(text.utf8), source: "t.tsv", format: format, labels: labels)
  }

  @Test func readsTSVWithSortedLabels() throws {
    let c = try corpus("spam\tgagnez un iphone\nham\tà demain\n")
    #expect(c.format == .tsv)
    #expect(c.labels == ["ham", "spam"])
    #expect(c.count == 2)
    #expect(c.label(at: 0) == 1)
    #expect(c.text(at: 1) == "à demain")
  }

  @Test func readsFastTextFormat() throws {
    let c = try corpus("__label__spam 加微信 领红包\n__label__ham 你好\n")
    #expect(c.format == .fasttext)
    #expect(c.text(at: 0) == "加微信 领红包")
    #expect(c.labels == ["ham", "spam"])
  }

  @Test func toleratesCRLFByteOrderMarkBlankLinesAndNoFinalNewline() throws {
    let c = try corpus("\u{FEFF}a\tun\r\n\n  \nb\tdeux")
    #expect(c.count == 2)
    #expect(c.text(at: 0) == "un")
    #expect(c.text(at: 1) == "deux")
    #expect(c.lineNumber(at: 1) == 4)
  }

  @Test(arguments: [
    ("a\tun\nsans tabulation\n", "Line 2 of t.tsv has no tab"),
    ("a\tun\n\tdeux\n", "Line 2 of t.tsv has an empty label"),
    ("a\tun\nb\t  \n", "Line 2 of t.tsv has an empty text"),
    ("pas de format\n", "Cannot tell the format of t.tsv: line 1"),
    ("", "t.tsv has no examples"),
  ])
  func malformedLinesAreNamed(text: String, message: String) {
    #expect {
      try corpus(text)
    } throws: { error in
      (error as? CribleError)?.kind == .badData && "\(error)".hasPrefix(message)
    }
  }

  @Test func fastTextErrorsNameTheLine() {
    #expect(throws: CribleError.self) {
      try corpus("__label__a un\nsans label\n", format: .fasttext)
    }
    #expect {
      try corpus("__label__a __label__b deux labels\n")
    } throws: { "\($0)".contains("has 2 labels") }
  }

  @Test func unknownLabelAgainstAModelIsAnError() {
    #expect {
      try corpus("a\tun\nc\ttrois\n", labels: ["a", "b"])
    } throws: {
      "\($0)".contains("Line 2 of t.tsv has the label \"c\", which the model does not know")
    }
  }

  @Test func modelLabelOrderIsKept() throws {
    let c = try corpus("a\tun\n", labels: ["b", "a"])
    #expect(c.labels == ["b", "a"])
    #expect(c.label(at: 0) == 1)
  }
}
