import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The cards-out board in the browser, and the "where your card is" block of a household's page.
struct CardCustodyPages {
    let services: AppServices

    struct BoardCard { var kind: String; var masked: String; var address: String; var state: String; var since: String; var minutes: String }
    struct BoardHolder { var name: String; var cards: [BoardCard] }
    struct BoardContent { var holders: [BoardHolder]; var isEmpty: Bool }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("medicine/cards") { request, context -> Response in
            let identity = try context.requireUser()
            let service = CardCustodyService(services: services)
            let place = try await service.boardPlace(try CardCustodyService.placeParameter(request), identity: identity)
            let groups = try await service.board(place: place)
            let now = services.now()
            let holders = groups.map { group in
                BoardHolder(name: group.holderName ?? context.text("medicine.cards.board.nobody"), cards: group.cards.map { out in
                    BoardCard(kind: context.text("medicine.card.kind.\(out.card.kind.rawValue)"), masked: out.card.maskedNumber,
                              address: context.text("medicine.cards.board.address", ["building": out.building, "room": out.room]),
                              state: context.text("medicine.card.state.\(out.card.state.rawValue)"), since: PageTime.dateTime(out.card.since, context.language),
                              minutes: context.text("medicine.cards.board.minutes_out", ["minutes": "\(CardCustodyService.minutesOut(since: out.card.since, now: now))"]))
                })
            }
            return try PageView(template: "medicine/cards-out", title: context.text("medicine.cards.board.title", ["place": place.name]),
                                content: BoardContent(holders: holders, isEmpty: holders.isEmpty),
                                breadcrumbs: [Link(href: "/places/\(place.id)", label: place.name)]).response(context)
        }
    }

    /// One line per card for the household's page: what it is, where it is, since when.
    struct HouseholdCardLine { var kind: String; var masked: String; var state: String; var holder: String?; var since: String }

    static func householdLines(_ cards: [(card: MedicineCard, holderName: String?)], context: LinliRequestContext) -> [HouseholdCardLine] {
        cards.map { card, holderName in
            HouseholdCardLine(kind: context.text("medicine.card.kind.\(card.kind.rawValue)"), masked: card.maskedNumber,
                              state: context.text("medicine.card.state.\(card.state.rawValue)"),
                              holder: card.state.cardIsOut ? holderName.map { context.text("medicine.cards.household.holder", ["name": $0]) } : nil,
                              since: context.text("medicine.cards.household.since", ["time": PageTime.dateTime(card.since, context.language)]))
        }
    }
}
