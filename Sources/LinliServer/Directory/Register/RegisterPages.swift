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
            return page(place: place, identity: identity, context: context, report: nil, messages: [])
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
            return page(place: place, identity: identity, context: context, report: report, messages: report.issues.map { $0.message(in: context.language) })
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

    private func page(place: Place, identity: UserIdentity, context: LinliRequestContext, report: RegisterImportReport?, messages: [String]) -> Response {
        let canUnmask = identity.grants.allows(.exportUnmasked, at: place.path)
        var result = ""
        if let report {
            if report.rejected {
                result = "<p class=\"error\" role=\"alert\">\(context.t("register.result.rejected"))</p>"
            } else {
                result = "<p role=\"status\">\(context.t("register.result.applied", ["households": "\(report.householdsCreated)", "created": "\(report.residentsCreated)", "updated": "\(report.residentsUpdated)", "unchanged": "\(report.unchanged)"]))</p>"
            }
            if !messages.isEmpty {
                result += "<ul class=\"error\">" + messages.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
            }
        }
        return Page(title: Catalogue.text("register.page_title", context.language, ["place": place.name]), context: context) {
            """
            \(result)
            <form method="post" action="/places/\(place.id)/register" enctype="multipart/form-data">
            \(context.csrfField)
            <label for="file">\(context.t("register.upload_label"))</label>
            <input id="file" type="file" name="file" accept=".xlsx,.csv" required>
            <label><input type="checkbox" name="partial"> \(context.t("register.partial_label"))</label>
            <p><button type="submit">\(context.t("register.upload_submit"))</button></p>
            </form>
            <h2>\(context.t("register.download_title"))</h2>
            <p><a href="/places/\(place.id)/register/download?format=xlsx">XLSX</a> · <a href="/places/\(place.id)/register/download?format=csv">CSV</a>
            \(canUnmask ? " · <a href=\"/places/\(place.id)/register/download?format=xlsx&amp;unmasked=true\">\(context.t("register.download_unmasked"))</a>" : "")</p>
            """
        }.response()
    }
}
