extension Catalogue {
    /// Texts of the request API and pages, beside the domain texts in `Catalogue+Requests.swift`.
    static let requestPages: [String: CatalogueEntry] = [
        "requests.duplicate": .init("本户已有一条同类未办结的诉求（编号 {id}），请在那条诉求里补充说明", "This household already has an open request of this kind (no. {id}); add to that one instead"),
        "requests.changed_meanwhile": .init("这条诉求刚被别人处理过，请刷新后再试", "Someone else changed this request just now; reload and try again"),
        "field.description": .init("诉求内容", "Description"),
        "field.category": .init("类别", "Category"),
        "field.action": .init("操作", "Action"),
        "field.idempotency_key": .init("请求编号（Idempotency-Key）", "Idempotency key"),
        "field.resident_id": .init("居民", "Resident"),
        "field.household": .init("住户", "Household"),
        "field.owner": .init("负责人", "Owner"),
        "field.closed_at": .init("办结时间", "Closed at"),
        "field.urgency": .init("紧急程度", "Urgency"),
        "field.escalation_level": .init("上报级别", "Escalation level"),
    ]
}
