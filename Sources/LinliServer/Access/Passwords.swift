import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run off the event loops: a hash at cost 12 takes a quarter of a second of CPU.
public struct Passwords: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public static let minimumLength = 8

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends what checking a password at this cost spends, for a phone without an account: if
    /// refusing an unknown phone took another time than refusing a wrong password, the answer's
    /// speed would tell which phones have accounts. Hashing at a cost takes as long as verifying
    /// a hash of that cost.
    public func spendVerificationTime(_ password: String) async throws {
        _ = try await hash(password)
    }

    /// True for a hash made at a lower cost than this one's (demo data, an older setting). A
    /// verified password is hashed again then, so an account comes to cost what an unknown phone
    /// costs, and its hash gets as hard to crack as new ones.
    public func needsRehash(_ hash: String) -> Bool {
        // "$2b$12$…": the cost is the third field.
        let fields = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard fields.count >= 2, let stored = UInt8(fields[1]) else { return true }
        return stored < cost
    }
}
