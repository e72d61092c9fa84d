/// The short code printed on a household's door notice. It lets anyone in the household file and
/// follow that household's own things, and nothing else. Residents have no accounts: the code is
/// all they need, so it must open no more than their own door.
public struct HouseholdCode: Sendable, Hashable, CustomStringConvertible {
    /// No 0/O, 1/I/L: codes are read aloud on the phone and typed by elderly residents.
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let length = 8

    /// The canonical form, eight characters without separators.
    public let value: String

    public static func generate(using generator: inout some RandomNumberGenerator) -> HouseholdCode {
        var characters: [Character] = []
        characters.reserveCapacity(length)
        for _ in 0..<length {
            characters.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
        }
        return HouseholdCode(canonical: String(characters))
    }

    private init(canonical: String) { value = canonical }

    /// Accepts what a person types: any case, spaces and dashes ("abcd-efgh", "ABCD EFGH").
    public init?(typed: String) {
        let cleaned = typed.uppercased().filter { $0 != "-" && $0 != " " && $0 != "\u{3000}" }
        guard cleaned.count == Self.length, cleaned.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        value = cleaned
    }

    /// As printed: "ABCD-EFGH".
    public var description: String { "\(value.prefix(4))-\(value.suffix(4))" }
}
