import LinliStore

/// Runs `body` while `count` write transactions hold a connection each and wait; they end after
/// `body`, whatever it did. With `count` equal to the pool size, nothing else gets a connection.
public func withConnectionsHeld<T>(_ store: Store, count: Int, _ body: () async throws -> T) async throws -> T {
    // A gate for each holder: an AsyncStream has one reader.
    let gates = (0..<count).map { _ in AsyncStream<Void>.makeStream() }
    let holding = Barrier(count: count + 1)
    let holders = gates.map { gate in
        Task {
            try await store.write { _ in
                await holding.arriveAndWait()
                for await _ in gate.stream {}
            }
        }
    }
    await holding.arriveAndWait()
    let result: Result<T, any Error>
    do { result = .success(try await body()) } catch { result = .failure(error) }
    for gate in gates { gate.continuation.finish() }
    for holder in holders { try await holder.value }
    return try result.get()
}
