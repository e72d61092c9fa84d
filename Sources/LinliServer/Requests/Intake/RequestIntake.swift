import Foundation
import LinliCore
import LinliStore

/// Filing a request, from the form to the durable row. The one path every new request takes,
/// whether it comes from the JSON API, a page or a pasted chain list:
///
/// ```
/// RequestAPI / RequestPages / ChainListImport
///   └─ RequestIntake.file            checks the form, reads the description's urgency words
///        └─ Store.write(_:batchedBy: FilingBatch)
///             └─ the store's write queue    SQLite: SQLiteWriter, the one writer
///                                           PostgreSQL: PostgresWriteQueue, one per node
///                  └─ WriteQueue.run        the filings waiting together, one FilingBatch.write
///                       └─ FilingBatch.write   one query per kind of fact for all of them,
///                                              then the inserts, the jobs, the audit, the outbox
///             ← commit (durable) ← the outcome of this filing: created, replayed or refused
///        └─ on a unique-index refusal: look again, answer what another node filed, or retry
/// ```
///
/// A surge of thousands of filings a second costs a few statements per batch rather than a
/// dozen per filing, and one fsync per commit rather than per filing. Three things recover
/// from failures, each where it lives: savepoints and writing a failed batch again one item at
/// a time (`WriteQueue`), and here, the retry after another node won a unique index.
struct RequestIntake {
    let services: AppServices

    /// How often a filing refused by a race it then cannot find is sent again before it is answered
    /// 503, to be sent again by the caller.
    static let filingAttempts = 3

    /// Files a request. `grants` are the staff member's when one files on a household's behalf:
    /// a household outside their places is a 404.
    ///
    /// Everything that needs no database is done here; the rest (the household, the care
    /// register, routing, the writes) is done by `FilingBatch` for all filings that arrive
    /// together, in one transaction.
    func file(_ form: Filing, by actor: RequestActor, grants: Grants? = nil, idempotencyKey: String?, traceID: String) async throws -> Filed {
        var filing = form
        filing.description = form.description.trimmingWhitespace
        let formError = Filing.formError(description: filing.description, idempotencyKey: idempotencyKey)
        let submission = FilingSubmission(
            filing: filing, actor: actor, scope: RequestRecords.encode(actor), grants: grants, idempotencyKey: idempotencyKey, formError: formError,
            described: formError == nil ? UrgencyRules.described(category: filing.category, description: filing.description) : [],
            traceID: traceID, at: services.now()
        )
        var attempts = 0
        while true {
            attempts += 1
            do {
                switch try await services.store.write(submission, batchedBy: services.filings) {
                case .created(let stored): return Filed(stored: stored, created: true)
                case .replayed(let stored): return Filed(stored: stored, created: false)
                case .refused(let error): throw error
                }
            } catch where Store.isUniqueViolation(error) {
                // Another node took the same form, or filed the same kind, between this batch's
                // reads and its insert (PostgreSQL); the unique indexes refused ours.
                if let settled = try await settle(submission) { return settled }
                // Neither the form nor an open request of its kind is there any more: the other
                // node's request was closed in the meantime, and this one may go in now.
                // Still refused after that: the form is not lost, and the phone may send it again.
                if attempts == Self.filingAttempts { throw AppError(.serviceUnavailable, "requests.busy", headers: [.retryAfter: "1"]) }
            }
        }
    }

    /// After a unique index refused a filing: the request its key already names (a form sent
    /// twice), a refusal naming the open request of its kind, or nil when neither is there.
    private func settle(_ submission: FilingSubmission) async throws -> Filed? {
        try await services.store.read { db -> Filed? in
            if let key = submission.idempotencyKey, let existing = try await RequestRecords.requestID(idempotencyKey: key, scope: submission.scope, on: db),
               let stored = try await RequestRecords.request(id: existing, on: db) {
                switch FilingBatch.replay(stored, to: submission) {
                case .replayed(let stored), .created(let stored): return Filed(stored: stored, created: false)
                case .refused(let error): throw error
                }
            }
            try await FilingBatch.refuseDuplicate(householdID: submission.filing.householdID, category: submission.filing.category, on: db)
            return nil
        }
    }
}
