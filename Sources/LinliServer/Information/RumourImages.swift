import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// A report's image (a screenshot of the message, a frame of the video) on disk, under the files
/// directory (`rumours/images/`), named by the report and a random part. Only JPEG, PNG and WebP
/// of at most 6 MB, recognised by their first bytes, reach the disk; the file is written whole
/// before its name is stored, and the replaced one is removed after.
struct RumourImages {
    let services: AppServices

    static let folder = "rumours/images"

    var directory: URL { services.filesDirectory.appendingPathComponent(Self.folder, isDirectory: true) }

    /// The report and its rumour, if the caller may add its image: its reporter, or someone who
    /// verifies the rumour.
    func reportForImage(_ reportID: RumourReportID, identity: UserIdentity) async throws -> (RumourReport, StoredRumour) {
        let rumours = RumourService(services: services)
        let report = try await services.store.read { db in try await RumourRecords.report(id: reportID, on: db) }
        guard let report else { throw AppError.notFound }
        let stored = try await rumours.rumour(report.rumourID, identity: identity)
        if report.reportedBy != identity.user.id { try await rumours.require(.verifyRumours, on: stored, identity: identity) }
        return (report, stored)
    }

    func store(_ data: Data, declaredType: String?, reportID: RumourReportID, identity: UserIdentity, traceID: String) async throws {
        let (_, stored) = try await reportForImage(reportID, identity: identity)
        let format = try MedicineBoxPhotos.format(of: data, declaredType: declaredType, field: "image")
        var random = SystemRandomNumberGenerator()
        let name = "\(reportID)-\(String(format: "%016llx", random.next() as UInt64)).\(format.fileExtension)"
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try data.write(to: url, options: .atomic)
        let now = services.now()
        let previous: String?
        do {
            previous = try await services.store.write { db -> String? in
                let old = try await RumourRecords.setImage(reportID: reportID, file: name, type: format.mediaType, on: db)
                try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "rumour_report.image", entity: "rumour_report",
                                                          entityID: "\(reportID)", path: stored.path.rawValue, after: "\(data.count) bytes \(format.rawValue)",
                                                          traceID: traceID)], on: db)
                return old
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        if let previous { try? FileManager.default.removeItem(at: directory.appendingPathComponent(previous)) }
    }

    /// The image, for anyone who sees the rumour.
    func read(_ reportID: RumourReportID, identity: UserIdentity) async throws -> (Data, BoxPhotoFormat) {
        let report = try await services.store.read { db in try await RumourRecords.report(id: reportID, on: db) }
        guard let report else { throw AppError.notFound }
        _ = try await RumourService(services: services).rumour(report.rumourID, identity: identity)
        let name = try await services.store.read { db in try await RumourRecords.imageFile(reportID: reportID, on: db) }
        // A name is only ever one Linli made; anything else (a row edited by hand) is not served.
        guard let name, let format = BoxPhotoFormat(fileName: name), !name.contains("/"), !name.hasPrefix("."),
              let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { throw AppError.notFound }
        return (data, format)
    }
}
