import Foundation
import Hummingbird
import LinliCore
import LinliStore

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
