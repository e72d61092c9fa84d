import Crypto
import Foundation
import LinliCore
import SQLKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server's secret under which household codes are stored. A code has only about 2^40
/// possible values: stored as a plain hash, a copied database or backup would give up every code
/// to one GPU in minutes. Keyed with a secret that never enters the database, a copy alone cannot
/// test a single guess.
///
/// What is stored is HMAC-SHA-256(key, SHA-256(code)) in hex. The inner SHA-256 is what databases
/// before this key held, so migration 10 could key every existing code without knowing any of
/// them; new codes go through the same two steps so that there is one formula, not two. The inner
/// hash adds no strength and needs none: the secrecy of the key is what protects the codes.
public struct HouseholdCodeKey: Sendable, Equatable {
    public static let byteCount = 32

    private let key: SymmetricKey

    /// A key as written in a key file or `LINLI_HOUSEHOLD_CODE_KEY`: 32 bytes in base64.
    public init(base64 text: String, source: String) throws(HouseholdCodeKeyError) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw .notBase64(source: source) }
        guard data.count == Self.byteCount else { throw .wrongSize(source: source, bytes: data.count) }
        key = SymmetricKey(data: data)
    }

    public static func random() -> HouseholdCodeKey {
        HouseholdCodeKey(key: SymmetricKey(size: .bits256))
    }

    private init(key: SymmetricKey) { self.key = key }

    public var base64: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    /// What the households table stores for `code`.
    public func digest(_ code: HouseholdCode) -> String {
        digest(sha256Hex: Self.sha256Hex(code.value))
    }

    /// Keys a plain SHA-256 of a code, as databases before migration 10 stored it.
    func digest(sha256Hex: String) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data(sha256Hex.utf8), using: key))
    }

    /// Names the key without revealing it, so a node started with another key can be refused
    /// instead of silently rejecting every household's code.
    public var fingerprint: String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data("linli household code key fingerprint".utf8), using: key))
    }

    static func sha256Hex(_ text: String) -> String { hex(SHA256.hash(data: Data(text.utf8))) }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    public static func == (lhs: HouseholdCodeKey, rhs: HouseholdCodeKey) -> Bool { lhs.fingerprint == rhs.fingerprint }
}

extension HouseholdCodeKey {
    /// Reads the key file at `path`. Refused: a file that cannot be read, does not hold exactly
    /// 32 bytes in base64, or that others than its owner may read or write (a key anyone on the
    /// machine can read protects nothing).
    public static func load(from path: String) throws(HouseholdCodeKeyError) -> HouseholdCodeKey {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw .missing(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else { throw .tooOpen(path: path, mode: String(mode, radix: 8)) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "cannot read the file")
        }
        return try HouseholdCodeKey(base64: text, source: path)
    }

    /// Writes a new random key to `path` with mode 0600. Never replaces a file that exists: two
    /// processes starting at once both end up with the key the first one wrote.
    public static func create(at path: String) throws(HouseholdCodeKeyError) -> HouseholdCodeKey {
        let key = random()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return try load(from: path) }
            throw .unreadable(path: path, reason: "cannot create it: \(String(cString: strerror(errno)))")
        }
        let bytes = Array((key.base64 + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else {
            unlink(path)
            throw .unreadable(path: path, reason: "cannot write it")
        }
        return key
    }
}

public enum HouseholdCodeKeyError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case tooOpen(path: String, mode: String)
    case notBase64(source: String)
    case wrongSize(source: String, bytes: Int)
    /// The database's codes were keyed, but no key was given or found.
    case neededForKeyedCodes(path: String?)
    /// Migration 10 has codes to key and was given no key.
    case neededToKeyCodes
    /// The key is not the one the database's codes were keyed with.
    case notThisDatabasesKey(source: String)
    /// PostgreSQL deployments have several nodes that must share one key: no default location.
    case postgresNeedsKey

    public var description: String {
        switch self {
        case .missing(let path):
            "the household code key file \(path) does not exist"
        case .unreadable(let path, let reason):
            "the household code key file \(path) cannot be used: \(reason)"
        case .tooOpen(let path, let mode):
            "the household code key file \(path) has mode \(mode): others may read it; run chmod 600 \(path)"
        case .notBase64(let source):
            "the household code key in \(source) is not base64"
        case .wrongSize(let source, let bytes):
            "the household code key in \(source) has \(bytes) bytes, not \(HouseholdCodeKey.byteCount)"
        case .neededForKeyedCodes(let path):
            "this database's household codes are keyed, but " + (path.map { "the key file \($0) is missing" } ?? "no key was given")
                + ": restore the key file kept with the backup (or set LINLI_HOUSEHOLD_CODE_KEY); without it no household code can be checked"
        case .neededToKeyCodes:
            "migration 10 keys this database's household codes and needs the household code key: run linli migrate or linli serve, which create or read it"
        case .notThisDatabasesKey(let source):
            "the household code key in \(source) is not the key this database's codes were made with: every node and every restore must use the same key file"
        case .postgresNeedsKey:
            "PostgreSQL needs the household code key, the same on every node: pass --household-code-key-file, or set LINLI_HOUSEHOLD_CODE_KEY_FILE or LINLI_HOUSEHOLD_CODE_KEY"
        }
    }
}

extension Store {
    /// Checks `key` against the database, and records it as the database's key if it has none.
    /// A database whose codes were keyed with another key is refused.
    public func adoptHouseholdCodeKey(_ key: HouseholdCodeKey, source: String) async throws {
        let inForce = try await write { db in try await HouseholdCodeKeyRecords.adopt(key, on: db) }
        guard inForce == key.fingerprint else { throw HouseholdCodeKeyError.notThisDatabasesKey(source: source) }
    }

    /// The key in the file at `path`, created there (mode 0600) on a database that has no keyed
    /// codes yet. A database that has keyed codes and no key file is refused: a new key would
    /// silently shut every household out.
    public func householdCodeKey(file path: String) async throws -> HouseholdCodeKey {
        do {
            return try HouseholdCodeKey.load(from: path)
        } catch HouseholdCodeKeyError.missing(_) {
            if try await hasKeyedCodes() { throw HouseholdCodeKeyError.neededForKeyedCodes(path: path) }
            return try HouseholdCodeKey.create(at: path)
        }
    }

    /// True once codes have been keyed: a key has been recorded, or migration 10 is behind us
    /// and some household has a code.
    func hasKeyedCodes() async throws -> Bool {
        guard let version = try await schemaVersion(), version >= Schema.householdCodesKeyed else { return false }
        return try await read { db in
            if try await HouseholdCodeKeyRecords.fingerprint(on: db) != nil { return true }
            return try await HouseholdCodeKeyRecords.hasCodes(on: db)
        }
    }
}
