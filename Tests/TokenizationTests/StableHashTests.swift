import Testing

@testable import Tokenization

@Suite struct StableHashTests {
  /// Values computed independently, in Python, from the specification in StableHash's doc comment.
  ///
  /// Saved models depend on them: if this test fails, models are broken.
  static let vectors: [(UInt32, String, UInt64)] = [
    (1, "微信", 0x8006_f83f_5263_ebc1),
    (2, "bonjour", 0xa031_94b5_ab93_5f0b),
    (2, "l'", 0x5145_d6f4_c8d2_5aac),
    (5, "!", 0x269f_c2eb_480e_5984),
    (3, "ta gueule", 0x2df3_2709_d195_27b9),
    (4, "<co", 0x5b37_3ba4_758c_cd25),
  ]

  @Test(arguments: vectors)
  func matchesTheSpecification(family: UInt32, text: String, expected: UInt64) {
    let units: [UInt32] = [family] + text.unicodeScalars.map(\.value)
    #expect(StableHash.hash(units) == expected)
  }

  @Test func emptyInputIsTheFinalisedBasis() {
    #expect(StableHash.hash([UInt32]()) == 0x8570_e254_d5cb_36d5)
  }

  @Test func bucketsAreTheTopBits() {
    let state = [1, 0x5FAE, 0x4FE1].reduce(StableHash.basis, StableHash.combine)
    #expect(StableHash.bucket(state, bits: 18) == 131_099)
    #expect(StableHash.bucket(state, bits: 20) == 524_399)
  }
}
