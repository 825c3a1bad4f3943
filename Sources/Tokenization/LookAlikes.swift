/// Letters from other alphabets that look like Latin letters, mapped to the Latin letter.
///
/// The lowercase Cyrillic and Greek letters that Unicode's confusables data (UTS #39) lists as
/// visually confusable with a Latin letter, and that spammers use inside Latin-script words
/// (`vіаgrа` with Cyrillic і and а). Mathematical alphanumerics and full-width letters need no
/// entry: NFKC already maps them. The normaliser applies this table only inside words that also
/// contain an ASCII letter, so Russian or Greek text is left alone.
enum LookAlikes {
  static let table: [UInt32: UInt32] = [
    // Cyrillic
    0x0430: 0x61,  // а → a
    0x0432: 0x62,  // в → b (small capital B)
    0x0441: 0x63,  // с → c
    0x0501: 0x64,  // ԁ → d
    0x0435: 0x65,  // е → e
    0x0450: 0x65,  // ѐ → e
    0x0451: 0x65,  // ё → e
    0x04BB: 0x68,  // һ → h
    0x043D: 0x68,  // н → h (small capital H)
    0x0456: 0x69,  // і → i
    0x0457: 0x69,  // ї → i
    0x0458: 0x6A,  // ј → j
    0x043A: 0x6B,  // к → k
    0x04CF: 0x6C,  // ӏ → l
    0x043C: 0x6D,  // м → m (small capital M)
    0x043E: 0x6F,  // о → o
    0x0440: 0x70,  // р → p
    0x051B: 0x71,  // ԛ → q
    0x0455: 0x73,  // ѕ → s
    0x0442: 0x74,  // т → t (small capital T)
    0x0443: 0x79,  // у → y
    0x0445: 0x78,  // х → x
    0x051D: 0x77,  // ԝ → w
    // Greek
    0x03B1: 0x61,  // α → a
    0x03B2: 0x62,  // β → b
    0x03B5: 0x65,  // ε → e
    0x03B7: 0x6E,  // η → n
    0x03B9: 0x69,  // ι → i
    0x03BA: 0x6B,  // κ → k
    0x03BD: 0x76,  // ν → v
    0x03BF: 0x6F,  // ο → o
    0x03C1: 0x70,  // ρ → p
    0x03C4: 0x74,  // τ → t
    0x03C5: 0x75,  // υ → u
    0x03C7: 0x78,  // χ → x
    0x03B3: 0x79,  // γ → y
    0x03C9: 0x77,  // ω → w
    0x03BC: 0x75,  // μ → u
    // Latin letters from other blocks that read as plain ones
    0x0261: 0x67,  // ɡ → g
    0x0251: 0x61,  // ɑ → a
  ]
}
