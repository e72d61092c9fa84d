import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Register upload and download with the access rules: managing the register needs
/// `manageRegister` at the place; an unmasked export needs `exportUnmasked` and is audited.
struct RegisterService: Sendable {
    let services: AppServices

    func importFile(_ data: Data, fileName: String?, placeID: PlaceID, partial: Bool, identity: UserIdentity, traceID: String) async throws -> RegisterImportReport {
        try await requirePlace(placeID, capability: .manageRegister, identity: identity)
        let rows: [[String]]
        do {
            rows = try Spreadsheet.decode(data, fileName: fileName)
        } catch {
            throw AppError(.badRequest, error.catalogueKey, field: "file")
        }
        do {
            return try await RegisterImporter(store: services.store).run(rows: rows, into: placeID, partial: partial, actor: "user:\(identity.user.id)", currentYear: Calendar(identifier: .gregorian).component(.year, from: services.now()), now: services.now(), traceID: traceID)
        } catch let error as RegisterImportError {
            throw AppError(.unprocessableContent, error.catalogueKey, field: "file", arguments: error.catalogueArguments)
        }
    }

    func export(placeID: PlaceID, format: SpreadsheetFormat, unmasked: Bool, identity: UserIdentity, traceID: String) async throws -> Data {
        let place = try await requirePlace(placeID, capability: .manageRegister, identity: identity)
        if unmasked, !identity.grants.allows(.exportUnmasked, at: place.path) { throw AppError.forbidden }
        // Only the full export carries health and disability notes, and only for roles that may read them.
        let includeSensitive = unmasked && identity.grants.allows(.viewSensitive, at: place.path)
        let (rows, sensitiveResidents) = try await RegisterImporter(store: services.store).export(placeID: placeID, maskPhones: !unmasked, includeSensitive: includeSensitive)
        let summary = ExportAuditSummary(rows: rows.count - 1, sensitiveResidents: sensitiveResidents, via: "web")
        try await services.audit([AuditEntry(at: services.now(), actor: "user:\(identity.user.id)", action: unmasked ? "register.export_unmasked" : "register.export", entity: "place", entityID: "\(placeID)", path: place.path.rawValue, after: summary.json, traceID: traceID)])
        do {
            return try Spreadsheet.encode(rows, format: format, sheetName: Catalogue.text("register.sheet_name", .zhHans))
        } catch {
            throw AppError(.internalServerError, "error.internal")
        }
    }

    @discardableResult
    func requirePlace(_ placeID: PlaceID, capability: Capability, identity: UserIdentity) async throws -> Place {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: place.path) else { throw AppError.forbidden }
        return place
    }

    static func fileName(placeID: PlaceID, format: SpreadsheetFormat) -> String {
        "register-\(placeID).\(format.rawValue)"
    }
}

struct RegisterImportView: ResponseCodable {
    var report: RegisterImportReport
    var messages: [String]
}

/// `/api/v1/places/{id}/register`: POST a CSV or XLSX body to import, GET to export.
struct RegisterAPI {
    let services: AppServices
    var register: RegisterService { RegisterService(services: services) }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.post("places/:id/register") { request, context -> Response in
            let identity = try context.requireUser()
            // Scope first: a body sent to a place outside the caller's is not even read.
            try await register.requirePlace(try context.parameters.id(), capability: .manageRegister, identity: identity)
            let query = Query(request: request)
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            guard buffer.readableBytes > 0 else { throw AppError.required("file") }
            let report = try await register.importFile(Data(buffer: buffer), fileName: try query.string("filename", maxLength: 200), placeID: try context.parameters.id(), partial: try query.bool("partial"), identity: identity, traceID: context.traceID)
            let view = RegisterImportView(report: report, messages: report.issues.map { $0.message(in: context.language) })
            let data = try JSONEncoder().encode(view)
            return Response(status: report.rejected ? .unprocessableContent : .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("places/:id/register") { request, context -> Response in
            let identity = try context.requireUser()
            let query = Query(request: request)
            let format = try Self.format(query)
            let id: PlaceID = try context.parameters.id()
            let data = try await register.export(placeID: id, format: format, unmasked: try query.bool("unmasked"), identity: identity, traceID: context.traceID)
            return Self.download(data, format: format, fileName: RegisterService.fileName(placeID: id, format: format))
        }
    }

    static func format(_ query: Query) throws -> SpreadsheetFormat {
        guard let text = try query.string("format", maxLength: 10) else { return .xlsx }
        guard let format = SpreadsheetFormat(rawValue: text.lowercased()) else { throw AppError.invalid("format") }
        return format
    }

    static func download(_ data: Data, format: SpreadsheetFormat, fileName: String) -> Response {
        Response(status: .ok, headers: [.contentType: format.mediaType, .contentDisposition: "attachment; filename=\"\(fileName)\"", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
