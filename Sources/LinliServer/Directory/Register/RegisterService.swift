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
