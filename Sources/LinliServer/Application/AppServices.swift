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
    /// The secret household codes are stored under; never in the database (see `HouseholdCodeKey`).
    public let householdCodeKey: HouseholdCodeKey
    /// Proxies whose X-Forwarded-For names the client, for the guess limits.
    public let trustedProxies: TrustedProxies
    /// Mark cookies Secure when Linli is served behind TLS.
    public let secureCookies: Bool
    public let logger: Logger
    /// Who a session token belongs to, kept for `sessionCacheSeconds`: every API call needs it.
    /// Logging out or rotating a household code on this node clears it at once; on another node
    /// the change takes effect within that time.
    let identities: ExpiringCache<String, Caller>
    /// Districts' deadlines and routing rules, kept for 10 s; a change on this node clears them.
    let requestPolicies: ExpiringCache<PlaceID, DistrictRequestPolicy>
    /// How fast each notification target may be sent to.
    let deliveryPacing: DeliveryPacing
    /// The internal networks webhooks may reach (none unless the operator allowed some).
    let webhookNetworks: WebhookNetworkPolicy
    /// The bearer token `/metrics` asks for; nil hides `/metrics` (404). Metrics name routes and
    /// show load, which is nobody's business outside operations.
    let metricsToken: String?
    /// New requests that arrive together are written together (see `RequestIntake`).
    let filings: FilingBatch
    /// Each district's rumour reports, indexed for matching a new one.
    let rumourMatcher = RumourMatcher()
    /// Where uploaded files live (box photos): beside a SQLite database by default, a directory
    /// every node shares with PostgreSQL.
    public let filesDirectory: URL

    public init(
        store: Store, householdCodeKey: HouseholdCodeKey, now: @escaping @Sendable () -> Date = { Date() }, passwords: Passwords = Passwords(), limits: AbuseLimits = AbuseLimits(),
        trustedProxies: TrustedProxies = .none, secureCookies: Bool = false, sessionCacheSeconds: TimeInterval = 2, deliveryPacing: DeliveryPacing = .standard,
        webhookNetworks: WebhookNetworkPolicy = WebhookNetworkPolicy(), metricsToken: String? = nil, filesDirectory: URL? = nil, logger: Logger = Logger(label: "linli")
    ) {
        // Without a directory (tests, an in-memory database) files last as long as the machine's temporary folder.
        self.filesDirectory = filesDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("linli-files-\(UUID().uuidString)", isDirectory: true)
        self.store = store
        self.householdCodeKey = householdCodeKey
        self.now = now
        self.passwords = passwords
        self.limits = limits
        self.trustedProxies = trustedProxies
        self.secureCookies = secureCookies
        self.logger = logger
        identities = ExpiringCache(lifetime: sessionCacheSeconds)
        let policies = ExpiringCache<PlaceID, DistrictRequestPolicy>(lifetime: 10)
        requestPolicies = policies
        self.deliveryPacing = deliveryPacing
        self.webhookNetworks = webhookNetworks
        self.metricsToken = metricsToken
        filings = FilingBatch(policies: policies)
    }

    /// After a session ends or a household's sessions are cut, this node stops honouring them at once.
    func forgetSessions(where ended: (Caller) -> Bool) {
        identities.removeAll(where: ended)
    }

    /// Appends audit entries in their own transaction (reads are audited after the read).
    func audit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await store.write { db in try await AuditRecords.append(entries, on: db) }
    }
}
