extension Catalogue {
    /// A medicine request's items, money and outcomes, and closing a batch.
    static let medicineRequests: [String: CatalogueEntry] = [
        "medicine.request.error.not_medicine": .init("这条求助不是配药类", "This request is not a medicine request"),
        "medicine.request.error.closed": .init("这条求助已经结束", "This request is closed"),
        "medicine.request.error.in_run": .init("这条求助已进入今晚的配药批次，药品不能再改", "This request is already in a formed batch; its items can no longer change"),
        "medicine.request.error.no_team": .init("这一户往上没有配药队，请先建立配药队", "No medicine team serves this household; set one up first"),
        "medicine.request.error.no_items": .init("这条求助还没有登记药品", "This request has no medicine items yet"),
        "medicine.request.same_day_reason": .init("急需药品，转当日配药", "A drug that cannot wait: moved to the same-day queue"),
        "medicine.request.done_note": .init("配药结果：{items} 项中 {bought} 项买齐", "Medicine run: {bought} of {items} items bought in full"),
        "medicine.request.follow_up_description": .init("跟进第 {id} 号配药，未买齐：{drugs}", "Follow-up of medicine request {id}, still missing: {drugs}"),
        "medicine.item.error.not_in_run": .init("这条求助还没进入已截单的批次，不能登记结果", "This request is not in a formed batch yet; outcomes come after the cut-off"),
        "medicine.batch.error.still_collecting": .init("这个批次还在收单，截单后才能结束", "This batch is still collecting; it closes after the cut-off"),
        "medicine.batch.error.already_closed": .init("这个批次已经结束", "This batch is already closed"),
        "medicine.batch.error.items_open": .init("还有药品没有登记结果", "Some items have no outcome yet"),
        "medicine.batch.error.cards_out": .init("还有医保卡没有还给居民，批次不能结束", "A card is still out; the batch cannot close until every card is back"),
        "medicine.batch.error.money_mismatch": .init("有 {count} 户的钱款对不上，请先核对或写明原因", "The money of {count} requests does not add up; reconcile it or explain why"),
        "medicine.batch.error.not_a_runner": .init("这个人不是这里的配药志愿者", "That person is not a medicine runner here"),
    ]
}
