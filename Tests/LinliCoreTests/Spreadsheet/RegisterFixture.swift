import Foundation

/// Files made by Tests/Fixtures/make_fixtures.py, found next to the sources rather than as
/// package resources so the main package needs no resource rules.
enum RegisterFixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Spreadsheet
        .deletingLastPathComponent()  // LinliCoreTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/register")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }
}
