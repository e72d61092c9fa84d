import Foundation
import Hummingbird
import LinliCore

/// The stylesheet, under its fingerprinted name, and `/design`: every component of the design
/// system on one page (docs/DESIGN-SYSTEM.md describes them), so a change to the stylesheet can
/// be checked at a glance, at phone width, in both languages.
struct DesignPage {
    struct Content {
        var tags: [Tag]
        var fields: [FormField]
        var select: FormField
        var textarea: FormField
        var counts: [DirectoryPages.CountLink]
        var cards: [RequestCard]
        var facts: [RequestPages.Fact]
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("assets/:file") { _, context -> Response in
            // Only the current name is served: an old page asking for an old name gets 404 and
            // reloads with the new one, instead of a year-long cache holding the wrong bytes.
            let path = context.parameters.get("file").map { "/assets/" + $0 }
            if path == PageAssets.offlineScriptPath {
                return Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=31536000, immutable"],
                                body: .init(byteBuffer: ByteBuffer(string: PageAssets.offlineScript)))
            }
            guard path == PageAssets.stylesheetPath else { throw AppError.notFound }
            return Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=31536000, immutable"],
                            body: .init(byteBuffer: ByteBuffer(string: PageAssets.stylesheet)))
        }
        // The service worker must be at the root for its scope to be the whole site, and must not
        // be kept by caches: a fixed one reaches phones at their next page load.
        router.get("sw.js") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(string: PageAssets.serviceWorker)))
        }
        router.get("design") { _, context -> Response in
            let language = context.language
            let text = { (key: String) in Catalogue.text(key, language) }
            let tags = Urgency.allCases.reversed().map { Tag.urgency($0, language) } + RequestStatus.allCases.map { Tag.status($0, language) }
            let content = Content(
                tags: tags,
                fields: [
                    FormField("sample_name", label: text("field.name"), hint: text("design.sample.hint"), value: "王秀英"),
                    FormField("sample_phone", label: text("field.phone"), error: text("design.sample.error"), value: "1391234", type: "tel"),
                ],
                select: FormField("sample_category", label: text("field.category"), options: RequestCategory.allCases.map { FormField.Option(value: $0.rawValue, label: text($0.catalogueKey), selected: $0 == .medicine) }),
                textarea: FormField("sample_description", label: text("field.description"), value: text("design.sample.description"), rows: 3),
                counts: [
                    DirectoryPages.CountLink(href: "/design", label: text("home.count.overdue"), count: 3, alert: true),
                    DirectoryPages.CountLink(href: "/design", label: text("home.count.open"), count: 12, alert: false),
                ],
                cards: [
                    RequestCard(id: 101, href: "/design", category: text(RequestCategory.medicine.catalogueKey), urgency: .urgency(.lifeCritical, language), status: .status(.new, language), overdue: true,
                               escalated: Catalogue.text("requests.page.escalated", language, ["n": "1"]), address: "3号楼 502", deadline: PageTime.span(until: Date(timeIntervalSince1970: 0), now: Date(timeIntervalSince1970: 900), language), cardTone: "overdue"),
                    RequestCard(id: 102, href: "/design", category: text(RequestCategory.food.catalogueKey), urgency: nil, status: .status(.accepted, language), overdue: false, escalated: nil,
                               address: "3号楼 1101", deadline: PageTime.span(until: Date(timeIntervalSince1970: 7500), now: Date(timeIntervalSince1970: 0), language), cardTone: "normal"),
                ],
                facts: [
                    RequestPages.Fact(id: "sample-fact", label: text("field.address"), value: "幸福小区 3号楼 502", href: "/design", userData: true),
                    RequestPages.Fact(id: "sample-fact", label: text("field.phone"), value: "13912345678", href: "tel:13912345678", userData: false),
                ]
            )
            return try PageView(template: "design", title: text("design.title"), content: content, breadcrumbs: [Link(href: "/", label: text("nav.home"))], banner: text("design.sample.banner"),
                                errors: [FieldMessage(field: "sample_phone", message: text("design.sample.error"))])
                .response(context)
        }
    }
}
