/// The scalar type of every dense vector and matrix in Crible.
///
/// Weights are read at memory-bandwidth speed when labelling, so four bytes beat eight;
/// accumulations that need the precision (sums over a corpus, the optimiser's line search) use
/// `Double` locally. Chosen in one place, as fastText's `real.h` does.
public typealias Real = Float
