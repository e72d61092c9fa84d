/// Mobile numbers derived from a sequence number, so they are unique without remembering any:
/// the sequence picks a carrier prefix and a slot, and a fixed permutation of the eight-digit slot
/// keeps neighbours from getting consecutive numbers.
enum DemoPhone {
    /// Prefixes for residents (and the volunteers among them).
    private static let residentPrefixes: [UInt16] = [
        139, 137, 136, 135, 134, 159, 158, 157, 152, 151, 150, 188, 187, 183, 182, 186, 185,
        156, 155, 132, 131, 130, 189, 180, 181, 177, 153, 133, 199, 173, 175, 176, 198, 166, 191,
    ]
    /// Prefixes for people who are not residents: sent-down cadres and community workers. Disjoint
    /// from the residents' prefixes, so the two sequences can never produce the same number.
    private static let outsiderPrefixes: [UInt16] = [147, 178, 172, 195, 197, 193]
    /// 138 belongs to neither list: the staff accounts get easy numbers 13800000001, 13800000002 ...
    private static let staffPrefix: UInt16 = 138

    private static let slotCount: Int64 = 100_000_000

    /// `sequence` starts at 1 (a resident id).
    static func resident(_ sequence: Int64) -> String { number(sequence - 1, prefixes: residentPrefixes) }

    /// `sequence` starts at 1 (the count of non-resident volunteers so far).
    static func outsider(_ sequence: Int64) -> String { number(sequence - 1, prefixes: outsiderPrefixes) }

    static func staff(_ ordinal: Int) -> String { digits(prefix: staffPrefix, slot: Int64(ordinal)) }

    /// An affine map x ↦ (a·x + b) mod N is a permutation of 0..<N when a is coprime to N. Here
    /// N = prefixes × 10⁸, whose prime factors are 2, 3, 5 and 7, and a = 48,271,541 is divisible
    /// by none of them (a test checks uniqueness on a large sample).
    private static let multiplier: Int64 = 48_271_541
    private static let offset: Int64 = 31_415_926

    private static func number(_ index: Int64, prefixes: [UInt16]) -> String {
        let space = Int64(prefixes.count) * slotCount
        let scrambled = ((index % space) &* multiplier &+ offset) % space
        return digits(prefix: prefixes[Int(scrambled % Int64(prefixes.count))], slot: scrambled / Int64(prefixes.count))
    }

    /// Eleven ASCII digits written straight into the string's storage: millions of numbers,
    /// so no formatter and no intermediate strings.
    private static func digits(prefix: UInt16, slot: Int64) -> String {
        String(unsafeUninitializedCapacity: 11) { buffer in
            var prefixValue = Int(prefix)
            for position in stride(from: 2, through: 0, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(prefixValue % 10)
                prefixValue /= 10
            }
            var value = slot
            for position in stride(from: 10, through: 3, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return 11
        }
    }
}
