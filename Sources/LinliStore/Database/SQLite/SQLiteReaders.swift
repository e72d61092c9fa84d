import Synchronization

/// SQLite's reader connections, each lent to one read at a time. A read is a transaction (a
/// snapshot), and a connection holds one transaction at a time: two reads sharing a connection
/// would share, or refuse, each other's. A read waits for a free reader, first come first served.
final class SQLiteReaders: Sendable {
    let all: [SQLiteConnection]
    private let state: Mutex<State>

    private struct State {
        var free: [SQLiteConnection]
        var waiting: [CheckedContinuation<SQLiteConnection, Never>] = []
    }

    init(_ readers: [SQLiteConnection]) {
        all = readers
        state = Mutex(State(free: readers))
    }

    var isEmpty: Bool { all.isEmpty }

    /// Runs `body` with a reader of its own, given back when `body` ends.
    func withReader<T>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        let reader = await take()
        defer { giveBack(reader) }
        return try await body(reader)
    }

    private func take() async -> SQLiteConnection {
        await withCheckedContinuation { continuation in
            let free = state.withLock { state -> SQLiteConnection? in
                if let reader = state.free.popLast() { return reader }
                state.waiting.append(continuation)
                return nil
            }
            if let free { continuation.resume(returning: free) }
        }
    }

    private func giveBack(_ reader: SQLiteConnection) {
        let next = state.withLock { state -> CheckedContinuation<SQLiteConnection, Never>? in
            if state.waiting.isEmpty {
                state.free.append(reader)
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume(returning: reader)
    }
}
