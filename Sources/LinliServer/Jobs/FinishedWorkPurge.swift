import Foundation
import LinliStore

/// Deletes what the job runner and the notification outbox have finished with, once an hour, on
/// one node of the deployment: jobs done more than a week ago and notifications delivered more
/// than 30 days ago. Without it both tables only grow, a row or more for every request filed.
/// Dead letters and jobs not done are never touched.
struct FinishedWorkPurge {
    static let jobKind = "finished-work.purge"
    static let jobsKept: TimeInterval = 7 * 86_400
    static let deliveredKept: TimeInterval = 30 * 86_400
    /// Rows deleted per transaction, so that a first purge of a long-running database never
    /// holds the writer for long.
    static let rowsPerTransaction = 5_000

    let services: AppServices

    var handler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.jobKind, every: 3600) { _ in
            let now = services.now()
            let jobs = try await Self.deleteInSteps { limit in
                try await services.store.write { db in try await JobRecords.deleteFinished(before: now.addingTimeInterval(-Self.jobsKept), limit: limit, on: db) }
            }
            let notifications = try await Self.deleteInSteps { limit in
                try await services.store.write { db in try await NotifyRecords.deleteDelivered(before: now.addingTimeInterval(-Self.deliveredKept), limit: limit, on: db) }
            }
            services.logger.info("purged finished work", metadata: ["jobs": "\(jobs)", "notifications": "\(notifications)"])
        }
    }

    /// Runs `step` until it deletes fewer rows than it may; returns the rows deleted.
    static func deleteInSteps(_ step: (Int) async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await step(rowsPerTransaction)
            total += deleted
            if deleted < rowsPerTransaction { return total }
        }
    }
}
