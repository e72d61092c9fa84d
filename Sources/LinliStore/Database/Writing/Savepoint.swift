import SQLKit

extension SQLDatabase {
    /// Runs `body` in the savepoint `name` of the transaction under way: if it fails, its writes
    /// are undone and its error returned, and the transaction goes on. Savepoints run one after
    /// another and each is released before the next begins, so one name serves a whole loop.
    ///
    /// `isInTransaction` tells, after a failure, whether there is still a transaction to go back
    /// into: some errors (SQLite's disk full, I/O) end it by themselves, and then the failure is
    /// thrown as it is.
    func inSavepoint<T>(
        _ name: String, isInTransaction: () -> Bool = { true }, _ body: (any SQLDatabase) async throws -> T
    ) async throws -> Result<T, any Error> {
        try await raw("SAVEPOINT \(unsafeRaw: name)").run()
        let value: T
        do {
            value = try await body(self)
        } catch {
            guard isInTransaction() else { throw error }
            try await raw("ROLLBACK TO \(unsafeRaw: name)").run()
            try await raw("RELEASE \(unsafeRaw: name)").run()
            return .failure(error)
        }
        try await raw("RELEASE \(unsafeRaw: name)").run()
        return .success(value)
    }
}
