extension Catalogue {
    /// The daily briefing's drafted lines.
    static let briefings: [String: CatalogueEntry] = [
        "briefing.requests": .init("今天收到居民诉求 {filed} 件，办结 {done} 件。", "Residents filed {filed} requests today; {done} were done."),
        "briefing.overdue": .init("有 {count} 件诉求超时未办，已逐级上报。", "{count} requests are overdue and have been passed up."),
        "briefing.none_overdue": .init("没有超时未办的诉求。", "No request is overdue."),
        "briefing.medicine": .init("配药专员为 {households} 户配回了药。", "Medicine runners brought medicine back for {households} households."),
        "briefing.relief": .init("救济物资发到 {households} 户。", "Relief supplies reached {households} households."),
        "briefing.survey": .init("摸排走访 {visited} 户，共 {total} 户（{percent}%）。", "The door-to-door survey reached {visited} of {total} households ({percent}%)."),
        "briefing.volunteers": .init("今天有 {count} 名志愿者在岗。", "{count} volunteers were on duty today."),
    ]
}
