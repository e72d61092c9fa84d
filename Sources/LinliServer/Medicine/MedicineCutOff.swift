import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The cut-off job: every few minutes, forms the nightly batches whose cut-off has come. Each
/// distinct cut-off among the medicine teams (20:00 for teams that set none) is formed for
/// today once today's cut-off has passed, and for yesterday in case the server was down at the
/// time; forming is idempotent, so the job runs often and any node may run it.
public struct MedicineCutOff {
    let services: AppServices

    public init(services: AppServices) { self.services = services }

    static let jobKind = "medicine.cutoff"
    static let interval: TimeInterval = 5 * 60

    /// The (cut-off minute, night) pairs due at `now`.
    public static func due(cutoffs: Set<Int>, at now: Date) -> [(minute: Int, night: String)] {
        let today = CareSchedule.localDay(now)
        let minute = Int((now.timeIntervalSince(CareSchedule.start(ofLocalDay: today)) / 60).rounded(.down))
        return cutoffs.sorted().flatMap { cutoff -> [(minute: Int, night: String)] in
            var nights = [(cutoff, CareSchedule.dayText(today - 1))]
            if minute >= cutoff { nights.append((cutoff, CareSchedule.dayText(today))) }
            return nights
        }
    }

    /// Forms every batch due at `now`; the batches formed.
    public func run(at now: Date) async throws -> [MedicineBatchID] {
        try await services.store.write { db in
            let rows = try await db.raw("""
                SELECT DISTINCT COALESCE(medicine_cutoff_minute, \(bind: MedicineBatch.defaultCutoffMinute)) AS minute FROM teams WHERE kind = 'medicine_team'
                """).all()
            let cutoffs = Set(try rows.map { try $0.decode(column: "minute", as: Int.self) }.filter { (0..<1440).contains($0) })
            var formed: [MedicineBatchID] = []
            for (minute, night) in Self.due(cutoffs: cutoffs, at: now) {
                formed += try await MedicineNightlyForming.formNightly(cutoffMinute: minute, night: night, at: now, on: db)
            }
            return formed
        }
    }

    var handler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.jobKind, every: Self.interval) { _ in
            _ = try await MedicineCutOff(services: services).run(at: services.now())
        }
    }
}
