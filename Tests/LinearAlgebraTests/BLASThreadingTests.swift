import LinearAlgebra
import Testing

@Suite struct BLASThreadingTests {
  @Test func withThreadCountSetsAndRestores() {
    let before = BLASThreading.threadCount
    let inside = BLASThreading.withThreadCount(1) { BLASThreading.threadCount }
    #expect(inside == 1)
    #expect(BLASThreading.threadCount == before)
  }

  @Test func describesTheLibrary() {
    #expect(BLASThreading.libraryDescription.contains("OpenBLAS"))
  }
}
