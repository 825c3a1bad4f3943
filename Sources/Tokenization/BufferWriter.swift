/// Appends into storage that was sized beforehand: each append is a store and an increment,
/// with none of `Array.append`'s uniqueness and capacity checks, which showed up in profiles of
/// the pipeline's inner loops.
///
/// Callers size the storage from an upper bound on what they will write (see
/// ``Storage/ensureCount(_:_:)``) and check ``room`` where a bound is not known in advance.
@usableFromInline
struct BufferWriter<Element> {
  @usableFromInline let base: UnsafeMutableBufferPointer<Element>
  /// The number of elements written.
  @usableFromInline var count = 0

  @inlinable init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }

  /// How many more elements fit.
  @inlinable var room: Int { base.count &- count }

  @inlinable var isEmpty: Bool { count == 0 }

  /// The last element written, if any.
  @inlinable var last: Element? { count > 0 ? base[count - 1] : nil }

  @inlinable mutating func append(_ element: Element) {
    base[count] = element
    count &+= 1
  }

  @inlinable mutating func removeLast() { count &-= 1 }

  /// Replaces the last element written.
  @inlinable mutating func replaceLast(with element: Element) { base[count - 1] = element }

  /// The elements written so far.
  @inlinable var written: UnsafeMutableBufferPointer<Element> {
    UnsafeMutableBufferPointer(rebasing: base[0..<count])
  }
}

/// Sizing of the arrays that back ``BufferWriter``s.
enum Storage {
  /// Grows `storage` to at least `count` elements (filled with `filler`), never shrinking it,
  /// so that after warm-up no message allocates.
  @inline(__always)
  static func ensureCount<Element>(_ storage: inout [Element], _ count: Int, _ filler: Element) {
    if storage.count < count {
      storage.append(
        contentsOf: repeatElement(filler, count: max(count, storage.count * 2) - storage.count))
    }
  }
}
