import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The answers library in the browser, for anyone without logging in: a search box, the
/// answers found, and an answer's page with who said it and until when it holds.
struct AnswerPages {
    let services: AppServices

    struct ResultLine { var href: String; var question: String; var meta: String; var expired: Bool }
    struct SearchContent {
        var intro: String
        var query: String
        var place: String?
        var heading: String
        var results: [ResultLine]
        var isEmpty: Bool
        var empty: String
    }
    struct Fact { var label: String; var value: String }
    struct AnswerContent {
        var question: String
        var paragraphs: [String]
        var facts: [Fact]
        var link: String?
        var linkText: String?
        var expired: Bool
        var state: String?
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        let answers = AnswerService(services: services)
        router.get("answers") { request, context -> Response in
            let query = Query(request: request)
            let placeID = try query.placeID()
            let scope = try await answers.scope(placeID, caller: context.caller)
            var text: String?
            var problem: String?
            do {
                text = try query.string("q", maxLength: AnswerRules.maximumQuery)
            } catch let error as AppError where error.status == .badRequest {
                problem = error.message(in: context.language)
            }
            var found: [AnswerService.Found] = []
            if problem == nil {
                do {
                    found = try await answers.search(text, scope: scope, caller: context.caller)
                } catch let error as AppError where error.status == .badRequest {
                    problem = error.message(in: context.language)
                }
            }
            let now = services.now()
            let results = found.map { item in
                let answer = item.stored.answer
                return ResultLine(href: "/answers/\(answer.id)", question: answer.text.question,
                                  meta: context.text("answers.page.result_meta", ["source": answer.text.source, "place": item.stored.placeName]), expired: !answer.isValid(at: now))
            }
            let heading = text == nil ? context.text("answers.page.newest") : context.text("answers.page.results", ["count": "\(results.count)"])
            let content = SearchContent(intro: context.text("answers.page.intro"), query: text ?? "", place: placeID.map(\.description), heading: heading,
                                        results: results, isEmpty: results.isEmpty, empty: problem ?? context.text("answers.page.empty"))
            return try PageView(template: "information/answers", title: context.text("answers.page.title"), content: content).response(context, status: problem == nil ? .ok : .badRequest)
        }
        router.get("answers/:id") { _, context -> Response in
            let found = try await answers.readable(try context.parameters.id(), caller: context.caller)
            let answer = found.answer
            let language = context.language
            var facts = [Fact(label: context.text("answers.field.source"), value: answer.text.source), Fact(label: context.text("answers.field.place"), value: found.placeName)]
            if let from = answer.text.validFrom { facts.append(Fact(label: context.text("answers.field.valid_from"), value: PageTime.dateTime(from, language))) }
            if let until = answer.text.validUntil { facts.append(Fact(label: context.text("answers.field.valid_until"), value: PageTime.dateTime(until, language))) }
            facts.append(Fact(label: context.text("answers.field.updated"), value: PageTime.dateTime(answer.updatedAt, language)))
            // Only a web address becomes a link; a document's name is shown as it is.
            let link = answer.text.sourceLink.flatMap { text in text.hasPrefix("https://") || text.hasPrefix("http://") ? text : nil }
            if let document = answer.text.sourceLink, link == nil { facts.append(Fact(label: context.text("answers.field.document"), value: document)) }
            let content = AnswerContent(
                question: answer.text.question, paragraphs: Self.paragraphs(answer.text.body),
                facts: facts, link: link, linkText: link.map { _ in context.text("answers.page.open_source") },
                expired: answer.state == .published && !answer.isValid(at: services.now()),
                state: answer.state == .published ? nil : context.text("answers.state.\(answer.state.rawValue)"))
            return try PageView(template: "information/answer", title: context.text("answers.page.answer_title"), content: content,
                                breadcrumbs: [Link(href: "/answers", label: context.text("answers.page.title"))]).response(context)
        }
    }

    /// A text's lines as paragraphs: answers and notices come as numbered steps, one a line.
    static func paragraphs(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingWhitespace.isEmpty }
    }
}
