import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Upload and download the household register from the browser.
struct RegisterPages {
    let services: AppServices
    var register: RegisterService { RegisterService(services: services) }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("places/:id/register") { _, context -> Response in
            let identity = try context.requireUser()
            let place = try await register.requirePlace(try context.parameters.id(), capability: .manageRegister, identity: identity)
            return try page(place: place, identity: identity, context: context, report: nil, messages: [])
        }
        router.post("places/:id/register") { request, context -> Response in
            let identity = try context.requireUser()
            let id: PlaceID = try context.parameters.id()
            try await register.requirePlace(id, capability: .manageRegister, identity: identity)
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            guard let form = MultipartForm(contentType: request.headers[.contentType] ?? "", body: Data(buffer: buffer)) else { throw AppError.required("file") }
            try context.verifyCSRF(form.value("_csrf"))
            guard let file = form.file("file"), !file.data.isEmpty else { throw AppError.required("file") }
            let report = try await register.importFile(file.data, fileName: file.fileName, placeID: id, partial: form.value("partial") == "on", identity: identity, traceID: context.traceID)
            let place = try await register.requirePlace(id, capability: .manageRegister, identity: identity)
            return try page(place: place, identity: identity, context: context, report: report, messages: report.issues.map { $0.message(in: context.language) })
        }
        router.get("places/:id/register/download") { request, context -> Response in
            let identity = try context.requireUser()
            let query = Query(request: request)
            let format = try RegisterAPI.format(query)
            let id: PlaceID = try context.parameters.id()
            let data = try await register.export(placeID: id, format: format, unmasked: try query.bool("unmasked"), identity: identity, traceID: context.traceID)
            return RegisterAPI.download(data, format: format, fileName: RegisterService.fileName(placeID: id, format: format))
        }
    }

    struct Content {
        var placeID: PlaceID
        var rejected: Bool
        var applied: String?
        var messages: [String]
        var hasMessages: Bool
        var canUnmask: Bool
    }

    private func page(place: Place, identity: UserIdentity, context: LinliRequestContext, report: RegisterImportReport?, messages: [String]) throws -> Response {
        let applied = report.flatMap { report in
            report.rejected ? nil : context.text("register.result.applied", ["households": "\(report.householdsCreated)", "created": "\(report.residentsCreated)", "updated": "\(report.residentsUpdated)", "unchanged": "\(report.unchanged)"])
        }
        let content = Content(placeID: place.id, rejected: report?.rejected ?? false, applied: applied, messages: messages, hasMessages: !messages.isEmpty, canUnmask: identity.grants.allows(.exportUnmasked, at: place.path))
        return try PageView(template: "directory/register", title: context.text("register.page_title", ["place": place.name]), content: content, banner: applied).response(context)
    }
}
