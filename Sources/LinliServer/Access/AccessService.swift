import Foundation
import LinliCore
import LinliStore

/// Logging in with a phone and password, opening a household with its code, and the sessions
/// both create. Shared by the JSON API and the pages.
struct AccessService: Sendable {
    let services: AppServices

    static let webSessionLifetime: TimeInterval = 7 * 24 * 3600
    static let apiTokenLifetime: TimeInterval = 30 * 24 * 3600
    static let householdSessionLifetime: TimeInterval = 30 * 24 * 3600

    struct Opened: Sendable {
        let token: String
        let session: Session
    }

    func login(phone rawPhone: String?, password: String?, remoteIP: String, kind: SessionKind) async throws -> (User, Opened) {
        guard let rawPhone, !rawPhone.isEmpty else { throw AppError.required("phone") }
        guard let password, !password.isEmpty else { throw AppError.required("password") }
        let phone = UserRecords.normalizedPhone(rawPhone)
        guard phone.count <= 32, !phone.containsControlCharacters else { throw AppError.invalid("phone") }
        let now = services.now()
        let attempt = try await services.limits.attempt(.password, target: phone, address: remoteIP, store: services.store, now: now)
        let user = try await services.store.read { db in try await UserRecords.user(phone: phone, on: db) }
        guard let user else {
            try await services.passwords.spendVerificationTime(password)
            throw AppError(.unauthorized, "access.login.failed")
        }
        guard try await services.passwords.verify(password, hash: user.passwordHash) else { throw AppError(.unauthorized, "access.login.failed") }
        try await services.limits.succeeded(attempt, store: services.store)
        if services.passwords.needsRehash(user.passwordHash) {
            let stronger = try await services.passwords.hash(password)
            try await services.store.write { db in try await UserRecords.setPassword(userID: user.id, passwordHash: stronger, on: db) }
        }
        let lifetime = kind == .api ? Self.apiTokenLifetime : Self.webSessionLifetime
        let opened = try await open(Session(kind: kind, userID: user.id, householdID: nil, csrfToken: Tokens.random(), expiresAt: now.addingTimeInterval(lifetime)), actor: "user:\(user.id)")
        return (user, opened)
    }

    func openHousehold(householdID rawID: String?, code rawCode: String?, remoteIP: String) async throws -> (Household, Opened) {
        guard let rawID, !rawID.isEmpty else { throw AppError.required("household_id") }
        guard let householdID = PlaceID(rawID.filter { !$0.isWhitespace }), householdID.rawValue > 0 else { throw AppError.invalid("household_id") }
        guard let rawCode, !rawCode.isEmpty else { throw AppError.required("code") }
        let now = services.now()
        let attempt = try await services.limits.attempt(.code, target: "\(householdID)", address: remoteIP, store: services.store, now: now)
        let codeHash = HouseholdCode(typed: rawCode).map(services.householdCodeKey.digest)
        let token = Tokens.random()
        let session = Session(kind: .household, userID: nil, householdID: householdID, csrfToken: Tokens.random(), expiresAt: now.addingTimeInterval(Self.householdSessionLifetime))
        let engine = services.store.engine
        // The code is checked in the transaction that opens the session, with the household row
        // locked on PostgreSQL, so a rotation cannot slip in between and leave a session opened
        // with the old code alive.
        let match = try await services.store.write { db -> Household? in
            guard let codeHash, let stored = try await HouseholdRecords.codeHash(householdID: householdID, forUpdate: engine == .postgres, on: db),
                  Tokens.equalInConstantTime(stored, codeHash),
                  let household = try await HouseholdRecords.household(id: householdID, on: db) else { return nil }
            try await SessionRecords.insert(tokenHash: Tokens.hash(token), session: session, at: now, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "household:\(householdID)", action: "session.open", entity: "session", entityID: SessionKind.household.rawValue)], on: db)
            return household
        }
        guard let household = match else { throw AppError(.unauthorized, "access.code.failed") }
        try await services.limits.succeeded(attempt, store: services.store)
        return (household, Opened(token: token, session: session))
    }

    private func open(_ session: Session, actor: String) async throws -> Opened {
        let token = Tokens.random()
        let now = services.now()
        try await services.store.write { db in
            try await SessionRecords.insert(tokenHash: Tokens.hash(token), session: session, at: now, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: actor, action: "session.open", entity: "session", entityID: session.kind.rawValue)], on: db)
        }
        return Opened(token: token, session: session)
    }

    static let purgeJobKind = "sessions.purge"

    /// Deletes expired sessions and guess counters once an hour, on one node of the deployment;
    /// neither opens or refuses anything any more, they only take up room.
    var purgeHandler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.purgeJobKind, every: 3600) { _ in
            let now = services.now()
            let (sessions, counters) = try await services.store.write { db in
                (try await SessionRecords.deleteExpired(now: now, on: db), try await GuessRecords.deleteExpired(now: now, on: db))
            }
            services.logger.info("purged expired sessions and guess counters", metadata: ["sessions": "\(sessions)", "guess_counters": "\(counters)"])
        }
    }

    func close(tokenHash: String, actor: String) async throws {
        let now = services.now()
        try await services.store.write { db in
            try await SessionRecords.delete(tokenHash: tokenHash, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: actor, action: "session.close", entity: "session")], on: db)
        }
        services.forgetSessions { $0.tokenHash == tokenHash }
    }
}
