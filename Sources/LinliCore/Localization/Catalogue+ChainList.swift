extension Catalogue {
    /// Texts of the chain-list (接龙) import: why a pasted line did not become an entry.
    /// Keys end in `ChainListReason.rawValue`; a test checks every reason has one.
    static let chainList: [String: CatalogueEntry] = [
        "chain_list.title": .init("接龙导入", "Chain list import"),
        "chain_list.reason.blank": .init("空行", "Blank line"),
        "chain_list.reason.title": .init("接龙标题或说明，不是报名", "The chain's title or instructions, not a sign-up"),
        "chain_list.reason.example": .init("格式示例，不是报名", "The format example, not a sign-up"),
        "chain_list.reason.empty_entry": .init("只有序号，没有内容", "A sequence number with nothing after it"),
        "chain_list.reason.no_address": .init(
            "没有找到楼号和室号，请补充或删除此行",
            "No building or room found; add them or remove the line"
        ),
        "chain_list.reason.no_building": .init(
            "有室号但没有楼号（例如 3号楼、3栋、3-201），请补充楼号",
            "A room but no building (e.g. 3号楼, 3栋, 3-201); add the building"
        ),
        "chain_list.reason.no_room": .init(
            "有楼号但没有室号（3–4 位数字，例如 201），请补充室号",
            "A building but no room (3–4 digits, e.g. 201); add the room"
        ),
        "chain_list.reason.ambiguous": .init(
            "一行中有多个住户地址，请拆成每户一行",
            "More than one household on one line; split it into one line per household"
        ),
    ]
}
