extension Catalogue {
    /// Insurance cards and record booklets carried for medicine runs: custody, the cards-out
    /// board, and where a household's card is.
    static let medicineCards: [String: CatalogueEntry] = [
        "medicine.card.error.already_returned": .init("这张卡已经还给居民，不能再登记去向", "This card is already back with its household; no further steps"),
        "medicine.card.error.received_twice": .init("接收只在登记卡时记录一次", "Receiving is recorded once, when the card is registered"),
        "medicine.card.error.request_mismatch": .init("这条求助不是这一户的", "That request is not this household's"),
        "medicine.card.error.not_saved": .init("没有保存成功，请再试一次", "Not saved; please try again"),
        "medicine.card.error.holder_not_runner": .init("接卡的人不是这里的配药志愿者", "The person taking the card is not a medicine runner here"),
        "medicine.card.error.code_wrong": .init("户码不对", "The household code is wrong"),

        "medicine.card.kind.insurance_card": .init("医保卡", "Insurance card"),
        "medicine.card.kind.record_booklet": .init("病历本", "Record booklet"),
        "medicine.card.state.received_from_household": .init("已从居民处收走", "Taken from the household"),
        "medicine.card.state.with_runner": .init("在配药志愿者手上", "With the runner"),
        "medicine.card.state.at_hospital": .init("在医院", "At the hospital"),
        "medicine.card.state.returned_to_household": .init("已还给居民", "Back with the household"),

        "medicine.cards.board.title": .init("在外的医保卡：{place}", "Cards out: {place}"),
        "medicine.cards.board.intro": .init("还没还给居民的卡，按拿卡的人分组，最早拿走的在前。", "Cards not yet back with their households, by who holds them, the longest out first."),
        "medicine.cards.board.empty": .init("所有卡都已还给居民。", "Every card is back with its household."),
        "medicine.cards.board.nobody": .init("（没人登记拿着）", "(nobody recorded)"),
        "medicine.cards.board.minutes_out": .init("在外 {minutes} 分钟", "Out {minutes} min"),
        "medicine.cards.board.address": .init("{building} {room}", "{building} {room}"),

        "medicine.cards.household.title": .init("医保卡在哪里", "Where your card is"),
        "medicine.cards.household.since": .init("自 {time}", "Since {time}"),
        "medicine.cards.household.holder": .init("拿卡人：{name}", "Held by {name}"),
    ]
}
