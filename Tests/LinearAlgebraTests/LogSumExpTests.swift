import Foundation
import LinearAlgebra
import Testing

@Suite struct LogSumExpTests {
  @Test func matchesNaiveFormulaOnModerateValues() {
    let x: [Float] = [0.5, -1, 2, 0]
    let naive = Float(log(x.reduce(0.0) { $0 + exp(Double($1)) }))
    #expect(close(LogDomain.logSumExp(x), naive))
  }

  @Test func staysFiniteWhereTheNaiveFormulaOverflows() {
    // exp(1000) overflows; log-sum-exp of [1000, 1000] is 1000 + log 2.
    #expect(close(LogDomain.logSumExp([1000, 1000] as [Float]), 1000 + Float(log(2.0))))
    #expect(close(LogDomain.logSumExp([-1000, -1000] as [Float]), -1000 + Float(log(2.0))))
  }

  @Test func emptyAndAllNegativeInfinity() {
    #expect(LogDomain.logSumExp([Float]()) == -.infinity)
    #expect(LogDomain.logSumExp([-Float.infinity, -.infinity]) == -.infinity)
    #expect(LogDomain.logSumExp([Float(3)]) == 3)
  }

  @Test func softmaxSumsToOneAndKeepsOrder() {
    let p = LogDomain.softmax([1, 2, 3, -500] as [Float])
    #expect(close(p.reduce(0, +), 1))
    #expect(p[2] > p[1] && p[1] > p[0] && p[3] >= 0)
    let e = [1, 2, 3].map { exp(Double($0)) }
    let s = e.reduce(0, +)
    #expect(close(Array(p[0..<3]), e.map { Float($0 / s) }))
  }

  @Test func softmaxOfHugeScoresDoesNotOverflow() {
    let p = LogDomain.softmax([10_000, 10_000] as [Float])
    #expect(p == [0.5, 0.5])
  }

  @Test func softmaxInDoublePrecision() {
    var x: [Double] = [-1500, -1501]
    x.withUnsafeMutableBufferPointer { LogDomain.softmax(&$0) }
    #expect(abs(x[0] - 1 / (1 + exp(-1.0))) < 1e-12)
  }
}
