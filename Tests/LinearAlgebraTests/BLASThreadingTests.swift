import Testing

@testable import LinearAlgebra

@Suite struct BLASThreadingTests {
  // Other suites hold OpenBLAS to one thread concurrently, so the global count before and after
  // a hold is not this test's to check; the bookkeeping below is.
  @Test func withOneThreadHoldsOneThread() {
    let inside = BLASThreading.withOneThread {
      BLASThreading.withOneThread { BLASThreading.threadCount }
    }
    #expect(inside == 1)
  }

  @Test func overlappingHoldsRestoreOnlyWhenTheLastEnds() {
    var holds = BLASThreading.SingleThreadHolds()
    #expect(holds.enter(current: 4) == 1)  // the first hold sets one thread
    #expect(holds.enter(current: 1) == nil)  // a second one, overlapping, finds it set
    #expect(holds.exit() == nil)  // the first ends: the second still runs on one thread
    #expect(holds.count == 1)
    #expect(holds.exit() == 4)  // the last ends: the count the first found comes back
    // A hold that finds one thread sets and restores nothing.
    #expect(holds.enter(current: 1) == nil)
    #expect(holds.exit() == nil)
  }

  @Test func describesTheLibrary() {
    #expect(BLASThreading.libraryDescription.contains("OpenBLAS"))
  }
}
