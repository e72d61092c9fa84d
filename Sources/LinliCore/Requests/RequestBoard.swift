import Foundation

/// The committee board's figures: how many requests stand where, how many are
/// overdue, and per day how many came in and how long the done ones took.
public struct RequestBoard: Sendable, Hashable {
    public struct Day: Sendable, Hashable {
        /// Midnight (in the board's time zone) that starts the day.
        public var start: Date
        public var filed: Int
        /// Median hours from filing to done, of the requests done that day; nil if none.
        public var medianHoursToDone: Double?
    }

    public var byStatus: [RequestStatus: Int]
    public var openByUrgency: [Urgency: Int]
    public var overdue: Int
    public var days: [Day]

    public struct Line: Sendable, Hashable {
        public var status: RequestStatus
        public var urgency: Urgency
        public var createdAt: Date
        public var closedAt: Date?
        public var acceptBy: Date
        public var doneBy: Date
        public var escalationLevel: Int

        public init(status: RequestStatus, urgency: Urgency, createdAt: Date, closedAt: Date?, acceptBy: Date, doneBy: Date, escalationLevel: Int = 0) {
            self.status = status
            self.urgency = urgency
            self.createdAt = createdAt
            self.closedAt = closedAt
            self.acceptBy = acceptBy
            self.doneBy = doneBy
            self.escalationLevel = escalationLevel
        }

        public init(_ request: HelpRequest) {
            self.init(status: request.status, urgency: request.urgency, createdAt: request.createdAt, closedAt: request.closedAt,
                      acceptBy: request.acceptBy, doneBy: request.doneBy, escalationLevel: request.escalationLevel)
        }

        /// Open, and a deadline was missed: it is past its current one, or it was escalated for
        /// missing one. This is what people call 超时未办. Escalation gives the next tier a fresh
        /// deadline, so past-the-deadline alone lasts only until the escalation job runs; a request
        /// that climbed the ladder is still late until it is done.
        public func isLate(at now: Date) -> Bool {
            status.isOpen && (escalationLevel > 0 || isOverdue(at: now))
        }

        /// Past its accept-by while new, or past its done-by while someone has it.
        public func isOverdue(at now: Date) -> Bool {
            switch status {
            case .new: now > acceptBy
            case .accepted, .inProgress: now > doneBy
            default: false
            }
        }
    }

    /// Figures over `lines` for the `dayCount` days ending today, days cut at midnight in `timeZone`.
    public init(lines: [Line], now: Date, dayCount: Int = 14, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        byStatus = Dictionary(grouping: lines, by: \.status).mapValues(\.count)
        openByUrgency = Dictionary(grouping: lines.filter { $0.status.isOpen }, by: \.urgency).mapValues(\.count)
        overdue = lines.count { $0.isLate(at: now) }
        let today = calendar.startOfDay(for: now)
        days = (0..<dayCount).reversed().compactMap { back in
            guard let start = calendar.date(byAdding: .day, value: -back, to: today),
                  let end = calendar.date(byAdding: .day, value: 1, to: start) else { return nil }
            let filed = lines.count { $0.createdAt >= start && $0.createdAt < end }
            let hours = lines.compactMap { line -> Double? in
                guard line.status == .done, let closed = line.closedAt, closed >= start, closed < end else { return nil }
                return closed.timeIntervalSince(line.createdAt) / 3600
            }.sorted()
            return Day(start: start, filed: filed, medianHoursToDone: Self.median(hours))
        }
    }

    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
