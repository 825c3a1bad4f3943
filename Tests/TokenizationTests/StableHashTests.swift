import Testing

@testable import Tokenization

@Suite struct StableHashTests {
  /// Values computed independently, in Python, from the specification in StableHash's doc comment.
  ///
  /// Saved models depend on them: if this test fails, models are broken.
  static let vectors: [(UInt32, String, UInt64)] = [
    (1, "微信", 0x93c6_27a5_2e87_1a10),
    (2, "bonjour", 0xb056_a107_925e_98dd),
    (2, "l'", 0xa7ab_528e_2058_e8f4),
    (5, "!", 0x4274_2f30_7727_8e43),
    (3, "ta gueule", 0x71d2_fcdc_4471_2e6d),
    (4, "<co", 0xa664_4657_9428_03e1),
  ]

  @Test(arguments: vectors)
  func matchesTheSpecification(family: UInt32, text: String, expected: UInt64) {
    let units: [UInt32] = [family] + text.unicodeScalars.map(\.value)
    #expect(StableHash.hash(units) == expected)
  }

  @Test func emptyInputIsTheFinalisedBasis() {
    #expect(StableHash.hash([UInt32]()) == 0xefd0_1f60_ba99_2926)
  }

  @Test func bucketsAreTheTopBits() {
    let state = [1, 0x5FAE, 0x4FE1].reduce(StableHash.basis, StableHash.combine)
    #expect(StableHash.bucket(state, bits: 18) == 151_320)
    #expect(StableHash.bucket(state, bits: 20) == 605_282)
  }
}
