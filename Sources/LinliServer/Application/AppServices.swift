import Foundation
import LinliCore
import LinliStore
import Logging

/// What the routes share: the store, the clock, the limits. Tests build it with a fixed clock.
public struct AppServices: Sendable {
    public let store: Store
    public let now: @Sendable () -> Date
    public let passwords: Passwords
    public let limits: AbuseLimits
    /// Mark cookies Secure when Linli is served behind TLS.
    public let secureCookies: Bool
    public let logger: Logger

    public init(store: Store, now: @escaping @Sendable () -> Date = { Date() }, passwords: Passwords = Passwords(), limits: AbuseLimits = AbuseLimits(), secureCookies: Bool = false, logger: Logger = Logger(label: "linli")) {
        self.store = store
        self.now = now
        self.passwords = passwords
        self.limits = limits
        self.secureCookies = secureCookies
        self.logger = logger
    }

    /// Appends audit entries in their own transaction (reads are audited after the read).
    func audit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await store.write { db in try await AuditRecords.append(entries, on: db) }
    }
}
