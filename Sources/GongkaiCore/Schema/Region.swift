/// The administrative region a report belongs to, as names printed in the official
/// division list (e.g. 宁夏回族自治区 / 中卫市 / 沙坡头区), so reports can be grouped by place.
///
/// A level the report does not determine is `nil`. Province-level bodies have only
/// `province`; bodies of the four municipalities (北京, 天津, 上海, 重庆) and of the
/// province-administered county-level units (仙桃市, 济源市, …) never have a `city`,
/// because those places have no prefecture level above the county. JSON keys are
/// `province`, `city`, `county`; a `nil` level is written as `null` and a missing key
/// reads as `nil`.
public struct Region: Sendable, Hashable, Codable {
    /// Province-level division (省, 自治区, 直辖市, 特别行政区), e.g. 宁夏回族自治区.
    public var province: String?
    /// Prefecture-level division (地级市, 地区, 自治州, 盟), e.g. 中卫市.
    public var city: String?
    /// County-level division (区, 县, 县级市, 旗, 自治县, 林区, 特区), e.g. 沙坡头区.
    public var county: String?

    /// Creates a region; omitted levels are unknown.
    public init(province: String? = nil, city: String? = nil, county: String? = nil) {
        self.province = province
        self.city = city
        self.county = county
    }

    /// True when no level is known, i.e. the resolver found no place.
    public var isEmpty: Bool { province == nil && city == nil && county == nil }

    private enum CodingKeys: String, CodingKey {
        case province, city, county
    }

    /// Decodes a region; absent keys and `null` both mean unknown.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        province = try c.decodeIfPresent(String.self, forKey: .province)
        city = try c.decodeIfPresent(String.self, forKey: .city)
        county = try c.decodeIfPresent(String.self, forKey: .county)
    }

    /// Encodes all three keys, writing `null` for unknown levels so the shape is fixed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(province, forKey: .province)
        try c.encode(city, forKey: .city)
        try c.encode(county, forKey: .county)
    }
}
