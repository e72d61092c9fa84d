import Foundation
import LinliStore
import Logging
import SQLKit
import Testing

@Suite("TLS to PostgreSQL: sslmode and sslrootcert as libpq reads them")
struct PostgresTLSTests {
    static func url(_ text: String) throws -> PostgresURL {
        guard case .postgres(let url) = try DatabaseLocation(argument: text) else { throw DatabaseLocationError.invalidPostgresURL("not postgres") }
        return url
    }

    @Test("each sslmode is read, and plain text stays the default",
          arguments: [("", PostgresSSLMode.disable), ("?sslmode=disable", .disable), ("?sslmode=prefer", .prefer), ("?sslmode=require", .require),
                      ("?sslmode=verify-ca", .verifyCA), ("?sslmode=verify-full", .verifyFull)])
    func modes(query: String, mode: PostgresSSLMode) throws {
        let url = try Self.url("postgres://linli@db.local/linli" + query)
        #expect(url.sslMode == mode)
        #expect(url.sslRootCertificate == nil)
    }

    @Test("a CA file and the search path are kept, and the redacted URL shows them without the password")
    func rootCertificate() throws {
        let url = try Self.url("postgres://linli:secret@db.local:6543/city?sslmode=verify-full&sslrootcert=/etc/linli/ca.pem&search_path=t1")
        #expect(url.sslMode == .verifyFull && url.sslRootCertificate == "/etc/linli/ca.pem" && url.searchPath == "t1")
        #expect(url.redacted == "postgres://linli:***@db.local:6543/city?search_path=t1&sslmode=verify-full&sslrootcert=/etc/linli/ca.pem")
        #expect(try Self.url("postgres://linli@db.local/x?sslmode=verify-ca&sslrootcert=system").sslRootCertificate == "system")
    }

    @Test("unknown parameters and values are a clear error, never ignored",
          arguments: [("?sslmode=verify_full", "sslmode 'verify_full' is not one of disable, prefer, require, verify-ca, verify-full"),
                      ("?sslmode=allow", "sslmode 'allow' is not one of disable, prefer, require, verify-ca, verify-full"),
                      ("?ssl=true", "unknown parameter 'ssl' (Linli reads search_path, sslmode and sslrootcert)"),
                      ("?sslmode", "'sslmode' needs a value"),
                      ("?sslmode=require&sslmode=disable", "'sslmode' is given twice"),
                      ("?sslmode=require&sslrootcert=/ca.pem", "sslrootcert is used only with sslmode=verify-ca or verify-full, not require"),
                      ("?sslrootcert=/ca.pem", "sslrootcert is used only with sslmode=verify-ca or verify-full, not disable")])
    func refusals(query: String, reason: String) {
        #expect(throws: DatabaseLocationError.invalidPostgresURL(reason)) { try DatabaseLocation(argument: "postgres://linli@db.local/linli" + query) }
    }

    /// A server started by `LINLI_TEST_PG_TLS=1 scripts/test-postgres start`: TLS with a
    /// certificate for 127.0.0.1 and localhost, and the URL asking for verify-full against its CA.
    static let tlsURL = ProcessInfo.processInfo.environment["LINLI_TEST_POSTGRES_TLS_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static func connectionIsEncrypted(_ url: PostgresURL) async throws -> Bool {
        var logger = Logger(label: "linli.test")
        logger.logLevel = .critical
        let store = try await Store.open(.postgres(url), logger: logger, migrate: false)
        return try await store.closing { store in
            try await store.read { db in
                try await db.raw("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first()?.decode(column: "ssl", as: Bool.self) ?? false
            }
        }
    }

    @Test("verify-full connects, encrypted, to a server whose certificate the given CA signed for its address", .enabled(if: tlsURL != nil))
    func verifiedConnection() async throws {
        let url = try Self.url(try #require(Self.tlsURL))
        #expect(url.sslMode == .verifyFull)
        #expect(try await Self.connectionIsEncrypted(url))
        var byName = url
        byName.host = "localhost"
        #expect(try await Self.connectionIsEncrypted(byName))
        var unverified = url
        (unverified.sslMode, unverified.sslRootCertificate) = (.require, nil)
        #expect(try await Self.connectionIsEncrypted(unverified), "require encrypts without checking")
    }

    @Test("verify-full refuses the server when another CA is given, and says it was the certificate", .enabled(if: tlsURL != nil))
    func wrongAuthority() async throws {
        var url = try Self.url(try #require(Self.tlsURL))
        let authority = try #require(url.sslRootCertificate)
        url.sslRootCertificate = URL(fileURLWithPath: authority).deletingLastPathComponent().appendingPathComponent("other-ca.pem").path
        do {
            _ = try await Self.connectionIsEncrypted(url)
            Issue.record("connected although the certificate is not from the given CA")
        } catch let error as StoreError {
            guard case .cannotOpen(_, let reason) = error else { throw error }
            #expect(reason.contains("TLS") && reason.lowercased().contains("certificate"), "\(reason)")
        }
    }

    @Test("verify-full refuses a server whose certificate is for another name", .enabled(if: tlsURL != nil))
    func wrongName() async throws {
        var url = try Self.url(try #require(Self.tlsURL))
        // The certificate names 127.0.0.1 and localhost; 127.0.0.2 reaches the same server on Linux.
        url.host = "127.0.0.2"
        await #expect(throws: StoreError.self) { _ = try await Self.connectionIsEncrypted(url) }
        url.sslMode = .verifyCA
        #expect(try await Self.connectionIsEncrypted(url), "verify-ca checks the chain only")
    }
}
