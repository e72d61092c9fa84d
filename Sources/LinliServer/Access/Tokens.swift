import Crypto
import Foundation
import LinliCore

/// Session tokens and CSRF tokens: 256 random bits, URL-safe. Only their SHA-256 is stored, so a
/// copy of the database opens no session. (Household codes are too short for a plain hash: see
/// `HouseholdCodeKey`.)
public enum Tokens {
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A password a person can type: 12 characters without look-alikes (0/O, 1/l/I).
    public static func readablePassword() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")
        return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Compares secrets without leaking their common prefix length through timing.
    static func equalInConstantTime(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
