extension Catalogue {
    /// Chat groups and their officers, rumour reports, verification, the two-hour clock and
    /// corrections.
    static let rumours: [String: CatalogueEntry] = [
        "rumour.status.reported": .init("已上报", "Reported"),
        "rumour.status.verifying": .init("核实中", "Verifying"),
        "rumour.status.false": .init("不实", "False"),
        "rumour.status.true": .init("属实", "True"),
        "rumour.status.unverifiable": .init("无法核实", "Cannot be verified"),
        "rumour.status.out_of_scope": .init("不属本辖区", "Not ours to answer"),
        "rumour.error.already_decided": .init("这条传言已经有核实结论了", "This rumour already has a verdict"),
        "rumour.error.not_false": .init("只有核实为不实的传言才需要辟谣", "Only a rumour found false is corrected"),
        "rumour.error.not_draft": .init("这份辟谣已经不是草稿了", "This correction is no longer a draft"),
        "rumour.error.not_approved": .init("辟谣要先经审核才能发布", "A correction is approved before it is published"),
        "rumour.error.not_published": .init("只有已发布的辟谣才能撤回", "Only a published correction can be retracted"),
        "rumour.error.own_draft": .init("辟谣须由起草人以外的人审核", "Someone other than its drafter approves a correction"),
        "rumour.error.same_rumour": .init("不能合并到它自己", "A rumour cannot be merged into itself"),
        "rumour.error.backup_same": .init("备岗信息员要和信息员不是同一个人", "The backup must be someone other than the officer"),
        "rumour.error.top": .init("已经上报到最高一级", "It has already reached the top level"),
        "rumour.told.corrected": .init("您上报的传言已辟谣：{title}（{link}）", "The rumour you reported has been corrected: {title} ({link})"),
        "rumour.told.verdict": .init("您上报的传言核实结果：{verdict}。{note}", "The rumour you reported was found: {verdict}. {note}"),
        "rumour.told.retracted": .init("之前的辟谣“{title}”已撤回：{reason}", "The correction \u{201C}{title}\u{201D} was retracted: {reason}"),
        "rumour.notify.escalated.title": .init("传言超时未辟谣，已上报{owner}", "Rumour not yet corrected, passed up to {owner}"),
        "rumour.notify.escalated.text": .init("“{claim}”已流传 {minutes} 分钟，还没有辟谣。现由{owner}负责。", "\u{201C}{claim}\u{201D} has been going round for {minutes} minutes without a correction. {owner} now answers for it."),
        "rumour.notify.corrected.title": .init("辟谣：{title}", "Correction: {title}"),
        "rumour.notify.corrected.text": .init("{body}\n来源：{source}", "{body}\nSource: {source}"),
        "rumour.notify.retracted.title": .init("撤回辟谣：{title}", "Correction retracted: {title}"),
        "rumour.notify.retracted.text": .init("之前发布的辟谣“{title}”撤回，原因：{reason}", "The correction \u{201C}{title}\u{201D} is withdrawn. Reason: {reason}"),
        "rumour.correction.template.title": .init("关于“{claim}”的说明", "About \u{201C}{claim}\u{201D}"),
        "rumour.correction.template.body": .init("近日，居民群里流传“{claim}”。经核实，此说法不实。{facts}请大家不信谣、不传谣，以官方发布为准。", "A message going round the residents' groups says \u{201C}{claim}\u{201D}. We checked: it is not true. {facts} Please do not pass it on; trust only official notices."),
    ]
}
