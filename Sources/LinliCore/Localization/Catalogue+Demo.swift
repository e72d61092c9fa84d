extension Catalogue {
    static let demo: [String: CatalogueEntry] = [
        "demo.title": .init("演示数据", "Demo data"),
        "demo.scale.compound": .init("一个居委会（约 1 千户）", "One residents' committee (about 1,000 households)"),
        "demo.scale.subdistrict": .init("一个街道（约 6 万户）", "One sub-district (about 60,000 households)"),
        "demo.scale.district": .init("一个区（约 230 万户）", "One district (about 2.3 million households)"),
        "demo.progress": .init("已生成 {done} / {total} 户（{percent}%）", "Generated {done} of {total} households ({percent}%)"),
        "demo.done": .init("演示数据已生成：{households} 户，{residents} 位居民，{volunteers} 名志愿者", "Demo data ready: {households} households, {residents} residents, {volunteers} volunteers"),
    ]
}
