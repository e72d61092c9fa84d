import CSQLite
import Foundation
import Synchronization

/// The thread one SQLite connection lives on, and a task executor for it.
///
/// A transaction body is async Swift: SQLKit's calls suspend. Run with this executor as its
/// preference (`withTaskExecutorPreference`), the whole body runs here, and each statement runs
/// inline on the connection it belongs to: no hop to another thread and back per statement. With
/// a thread pool, every statement was two thread switches, and under load the way back waited in
/// line behind the HTTP work; a filing's batch spent most of its time waiting, not writing.
final class SQLiteThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var stopped = false
    /// Jobs enqueued and not yet finished: how busy this thread is, for choosing a reader.
    private let backlog = Atomic<Int>(0)

    /// `name` (at most 15 bytes) shows in `top -H` and profiles.
    init(name: String) {
        // The thread keeps its executor alive until `stop()` ends it.
        let thread = Thread { self.run(name: name) }
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        condition.lock()
        // The thread leaves only with no job left, under this lock, so a job added here runs.
        guard !stopped else {
            condition.unlock()
            // Too late for this thread: the job runs elsewhere, finds it is not here (`run`) and
            // fails with "the connection is closed" instead of waiting for ever.
            globalConcurrentExecutor.enqueue(job)
            return
        }
        backlog.add(1, ordering: .relaxed)
        jobs.append(UnownedJob(job))
        condition.signal()
        condition.unlock()
    }

    /// True on this thread, where the connection may be used directly.
    var isCurrent: Bool {
        pthread_getspecific(Self.currentKey) == Unmanaged.passUnretained(self).toOpaque()
    }

    var pendingJobs: Int { backlog.load(ordering: .relaxed) }

    /// Runs `body` on this thread: inline when already here, else after one hop. Fails once the
    /// thread has stopped (its connection is closed).
    func run<T>(_ body: () throws -> T) async throws -> T {
        if isCurrent { return try body() }
        guard !hasStopped else { throw Self.closed }
        return try await withTaskExecutorPreference(self) {
            guard isCurrent else { throw Self.closed }
            return try body()
        }
    }

    private var hasStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    static let closed = SQLiteError(code: SQLITE_MISUSE, message: "the connection is closed")

    /// Lets the jobs already enqueued finish, then ends the thread. Must not be called from the
    /// thread itself, which would wait for its own end.
    func stop() {
        precondition(!isCurrent, "a SQLite thread cannot stop itself")
        condition.lock()
        stopping = true
        condition.signal()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func run(name: String) {
        Thread.current.name = name
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let taken = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in taken {
                job.runSynchronously(on: executor)
                backlog.subtract(1, ordering: .relaxed)
            }
        }
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}
