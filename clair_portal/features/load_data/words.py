"""Words more than one program's records are made of, as (ja, zh) pairs."""

from clair_portal.foundation.models import JapaneseLocalGovernment

TOPICS = [
    ("観光振興", "旅游振兴"),
    ("環境保全", "环境保护"),
    ("高齢化への対応", "应对老龄化"),
    ("地域経済の活性化", "地方经济振兴"),
    ("防災・減災", "防灾减灾"),
    ("青少年交流", "青少年交流"),
    ("農村振興", "乡村振兴"),
    ("行政のデジタル化", "行政数字化"),
    ("脱炭素社会の実現", "实现低碳社会"),
    ("文化交流", "文化交流"),
    ("スポーツ交流", "体育交流"),
    ("医療・介護の連携", "医疗与护理合作"),
    ("スマートシティの建設", "智慧城市建设"),
    ("伝統文化の継承", "传统文化的传承"),
    ("新産業の創出", "新产业培育"),
    ("企業誘致", "招商引资"),
    ("人材育成", "人才培养"),
    ("循環型社会の形成", "循环型社会建设"),
    ("食の安全", "食品安全"),
    ("公共交通の整備", "公共交通建设"),
]
# The title of a Japanese government's leader, by its kind.
LEADER_TITLES = {
    JapaneseLocalGovernment.Kind.PREFECTURE: ("知事", "知事"),
    JapaneseLocalGovernment.Kind.DESIGNATED_CITY: ("市長", "市长"),
    JapaneseLocalGovernment.Kind.CITY: ("市長", "市长"),
    JapaneseLocalGovernment.Kind.TOWN: ("町長", "町长"),
    JapaneseLocalGovernment.Kind.VILLAGE: ("村長", "村长"),
    JapaneseLocalGovernment.Kind.SPECIAL_WARD: ("区長", "区长"),
}
