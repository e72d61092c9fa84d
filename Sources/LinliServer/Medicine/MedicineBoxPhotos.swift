import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Box photos on disk, under the files directory (`medicine/box-photos/`), named by the item and
/// a random part so a name never says whose it is or can be guessed. The database keeps the
/// name; the file is written completely before the name is stored, and the replaced file is
/// removed after.
struct MedicineBoxPhotos {
    let services: AppServices

    static let folder = "medicine/box-photos"

    var directory: URL { services.filesDirectory.appendingPathComponent(Self.folder, isDirectory: true) }

    /// Stores a photo for an item of a request the caller may run, and answers its format.
    func store(_ data: Data, declaredType: String?, item: MedicineItemID, identity: UserIdentity, traceID: String) async throws {
        guard let requestID = try await services.store.read({ db in try await MedicineRequestRecords.requestID(item: item, on: db) }) else { throw AppError.notFound }
        let stored = try await MedicineRequestService(services: services).request(requestID, capability: .runMedicine, identity: identity)
        let format = try Self.format(of: data, declaredType: declaredType, field: "photo")
        var random = SystemRandomNumberGenerator()
        let name = "\(item)-\(String(format: "%016llx", random.next() as UInt64)).\(format.fileExtension)"
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try data.write(to: url, options: .atomic)
        let now = services.now()
        let previous: String?
        do {
            previous = try await services.store.write { db -> String? in
                guard let part = try await MedicineRequestRecords.part(requestID: requestID, on: db) else { throw AppError.notFound }
                if part.batchStatus == .closed { throw AppError(.conflict, "medicine.batch.error.already_closed", field: "photo") }
                let old = part.items.first { $0.id == item }?.boxPhoto
                try await MedicineRequestRecords.setBoxPhoto(item: item, name: name, on: db)
                try await AuditRecords.append([AuditEntry(
                    at: now, actor: "user:\(identity.user.id)", action: "medicine_item.photo", entity: "request", entityID: "\(requestID)", path: stored.path.rawValue,
                    after: "\(item): \(data.count) bytes \(format.rawValue)", traceID: traceID
                )], on: db)
                return old
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        if let previous { try? FileManager.default.removeItem(at: directory.appendingPathComponent(previous)) }
    }

    /// The photo of an item, for staff who may read health data at its household (audited).
    func read(item: MedicineItemID, identity: UserIdentity, traceID: String) async throws -> (Data, BoxPhotoFormat) {
        let found = try await services.store.read { db -> (HelpRequestID, String?)? in
            guard let requestID = try await MedicineRequestRecords.requestID(item: item, on: db) else { return nil }
            return (requestID, try await MedicineRequestRecords.part(requestID: requestID, on: db)?.items.first { $0.id == item }?.boxPhoto)
        }
        guard let (requestID, name) = found else { throw AppError.notFound }
        let stored = try await services.store.read { db in try await RequestRecords.request(id: requestID, on: db) }
        guard let stored, identity.grants.allows(.viewDirectory, at: stored.path) else { throw AppError.notFound }
        guard identity.grants.allows(.viewSensitive, at: stored.path) else { throw AppError.forbidden }
        // A name is only ever one Linli made; anything else (a row edited by hand) is not served.
        guard let name, let format = BoxPhotoFormat(fileName: name), !name.contains("/"), !name.hasPrefix("."),
              let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { throw AppError.notFound }
        try await services.audit([AuditEntry(
            at: services.now(), actor: "user:\(identity.user.id)", action: "medicine_item.read_photo", entity: "request", entityID: "\(requestID)", path: stored.path.rawValue, traceID: traceID
        )])
        return (data, format)
    }

    /// The format of an uploaded image, refused unless it is a JPEG, PNG or WebP by its first
    /// bytes, at most 6 MB, and of the type its upload declared (if it declared an image type):
    /// shared by box photos and rumour reports' images.
    static func format(of data: Data, declaredType: String?, field: String) throws -> BoxPhotoFormat {
        guard !data.isEmpty else { throw AppError.required(field) }
        guard data.count <= BoxPhotoFormat.maximumBytes else { throw AppError(.contentTooLarge, "medicine.photo.error.too_large", field: field, arguments: ["max": "6"]) }
        guard let format = BoxPhotoFormat.sniff(data) else { throw AppError(.unsupportedMediaType, "medicine.photo.error.type", field: field) }
        if let declared = declaredType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
           declared.hasPrefix("image/"), declared != format.mediaType, !(format == .jpeg && declared == "image/jpg") {
            throw AppError(.unsupportedMediaType, "medicine.photo.error.type", field: field)
        }
        return format
    }

    static func response(_ data: Data, format: BoxPhotoFormat) -> Response {
        Response(status: .ok, headers: [.contentType: format.mediaType, .cacheControl: "no-store", .contentDisposition: "inline"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
