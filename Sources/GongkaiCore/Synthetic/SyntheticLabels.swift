/// The labels a report prints, in the template's words, for rendering synthetic reports.
enum SyntheticLabels {
    /// Group label and item label of each section 三 row.
    static func application(_ row: String, _ g: Generation) -> (group: String?, item: String) {
        switch row {
        case "new_received": return (nil, "一、本年新收政府信息公开申请数量")
        case "carried_over": return (nil, "二、上年结转政府信息公开申请数量")
        case "granted": return ("三、本年度办理结果", "（一）予以公开")
        case "partially_granted": return (nil, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
        case "denied_state_secret": return ("（三）不予公开", "1.属于国家秘密")
        case "denied_prohibited_by_law": return (nil, "2.其他法律行政法规禁止公开")
        case "denied_three_safeties": return (nil, "3.危及“三安全一稳定”")
        case "denied_third_party": return (nil, "4.保护第三方合法权益")
        case "denied_internal_affairs": return (nil, "5.属于三类内部事务信息")
        case "denied_process_info": return (nil, "6.属于四类过程性信息")
        case "denied_enforcement_file": return (nil, "7.属于行政执法案卷")
        case "denied_admin_query": return (nil, "8.属于行政查询事项")
        case "unable_not_held": return ("（四）无法提供", "1.本机关不掌握相关政府信息")
        case "unable_needs_creation": return (nil, "2.没有现成信息需要另行制作")
        case "unable_unclear": return (nil, "3.补正后申请内容仍不明确")
        case "not_processed_petition": return ("（五）不予处理", "1.信访举报投诉类申请")
        case "not_processed_duplicate": return (nil, "2.重复申请")
        case "not_processed_publication": return (nil, "3.要求提供公开出版物")
        case "not_processed_excessive": return (nil, "4.无正当理由大量反复申请")
        case "not_processed_confirmation": return (nil, "5.要求行政机关确认或重新出具已获取信息")
        case "other": return (nil, "（六）其他处理")
        case "other_overdue_correction": return ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
        case "other_unpaid_fee": return (nil, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
        case "other_other": return (nil, "3.其他")
        case "total_processed": return (nil, "（七）总计")
        default: return (nil, "四、结转下年度继续办理")
        }
    }

    /// Section 二 row labels.
    static func proactive(_ row: String, _ g: Generation) -> String {
        switch row {
        case "regulations": return "规章"
        case "normative_documents": return g == .v2021 ? "行政规范性文件" : "规范性文件"
        case "licensing": return "行政许可"
        case "other_services": return "其他对外管理服务事项"
        case "penalty": return "行政处罚"
        case "coercion": return "行政强制"
        case "fees": return "行政事业性收费"
        default: return "政府集中采购"
        }
    }

    /// Section 二 sub-tables: caption, header cells, rows.
    static func proactiveGroups(_ g: Generation) -> [(caption: String, header: [String], rows: [String])] {
        switch g {
        case .v2019:
            return [
                ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], ["regulations", "normative_documents"]),
                ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["licensing", "other_services"]),
                ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["penalty", "coercion"]),
                ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"], ["fees"]),
                ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"], ["procurement"]),
            ]
        case .v2021:
            return [
                ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["regulations", "normative_documents"]),
                ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], ["licensing"]),
                ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], ["penalty", "coercion"]),
                ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], ["fees"]),
            ]
        }
    }

    static let applicantHeader = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    static let reviewHeader = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
}
