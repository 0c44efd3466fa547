// TEMPORARY placeholder, replaced by the gazetteer work.
public struct Region: Sendable, Hashable, Codable {
    public var province: String?
    public var city: String?
    public var county: String?
    public init(province: String? = nil, city: String? = nil, county: String? = nil) {
        self.province = province; self.city = city; self.county = county
    }
}
public enum RegionResolver {
    public static func resolve(agency: String, text: String) -> Region { Region() }
}
public enum Gazetteer {
    static func isPlaceName(_ s: String) -> Bool { ["中卫市", "宁夏回族自治区"].contains(s) }
}
