"""Support requests through the portal, numbered LOAD-<FY>-<n>: activity
support and overseas research from Japanese governments, in the requester's
language; expert dispatches asked by Chinese ones, mostly in Chinese."""

import base64
import datetime
import hashlib
import random
import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from clair_portal.features.staff_roles import SUPPORT_DESK
from clair_portal.foundation.languages import LIST_SEPARATOR
from support_requests.models import RequestKind, SupportRequest, WaitingFor

from .core import (
    CHINESE,
    FIRST_REQUEST_YEAR,
    JAPANESE,
    LAST_REQUEST_YEAR,
    Batch,
    both,
)
from .experts import expert_subjects
from .words import LEADER_TITLES, TOPICS

REFERENCE_PREFIX = "LOAD"
# Per unit: activity support, overseas research, expert dispatch. The first
# two are the requests the brochures report handling (76 + 26 and 3); the
# expert requests, as many as the dispatches they list.
REQUESTS_PER_UNIT = (102, 3, 6)
UNIT = {SupportRequest: sum(REQUESTS_PER_UNIT)}
SURNAMES = [
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村",
    "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上",
]  # fmt: skip
GIVEN_NAMES = [
    "翔太", "美咲", "大輔", "陽子", "健一", "直美", "拓也", "由美",
    "誠", "恵子", "和也", "さくら", "浩二", "明美",
]  # fmt: skip
# The desk that works the requests, as the queue shows it in service: every
# request past prior consultation, and half of those in it, is assigned to
# one of them, and the desk acted last on about half of the assigned ones.
DESK_USERNAMES = [f"load-desk-{n}" for n in range(1, 5)]
CHINESE_NAMES = ["王 芳", "李 娜", "张 伟", "刘 洋", "陈 静", "杨 帆", "赵 磊", "周 婷"]
DEPARTMENTS = [
    ("国際課", "国际课"),
    ("観光交流課", "观光交流课"),
    ("商工労働部国際経済課", "商工劳动部国际经济课"),
    ("総務部国際交流課", "总务部国际交流课"),
    ("企画振興部国際戦略課", "企划振兴部国际战略课"),
    ("文化観光部インバウンド推進課", "文化观光部入境旅游推进课"),
]
RESEARCH_SUBJECTS = [
    ("中国の地方財政制度", "中国的地方财政制度"),
    ("中国の高齢者福祉政策", "中国的老年人福利政策"),
    ("中国の訪日旅行市場の動向", "中国访日旅游市场动向"),
    ("中国の農村振興政策", "中国的乡村振兴政策"),
    ("中国の廃棄物処理制度", "中国的废弃物处理制度"),
    ("中国の越境EC規制", "中国的跨境电商监管"),
]
CHINESE_DEPARTMENTS = [
    ("人民政府外事弁公室", "人民政府外事办公室"),
    ("農業農村局", "农业农村局"),
    ("生態環境局", "生态环境局"),
    ("衛生健康委員会", "卫生健康委员会"),
    ("教育局", "教育局"),
    ("自然資源・計画局", "自然资源和规划局"),
]


def generate(batch: Batch) -> None:
    rng = batch.rng
    kinds = (
        [RequestKind.ACTIVITY_SUPPORT] * REQUESTS_PER_UNIT[0]
        + [RequestKind.OVERSEAS_RESEARCH] * REQUESTS_PER_UNIT[1]
        + [RequestKind.EXPERT_DISPATCH] * REQUESTS_PER_UNIT[2]
    ) * batch.scale
    requests = [new_request(batch, kind) for kind in kinds]
    # Drawn apart, so that the desk leaves every other record as it was.
    desk, desk_rng = desk_members(), random.Random(f"{batch.seed}:desk")
    for request in requests:
        assign(desk_rng, request, desk)
    number_requests(requests, seed=batch.seed)
    for request in requests:  # bulk_create calls no save()
        request.search = request.search_text()
    times = [(r.created_at, r.updated_at) for r in requests]
    batch.bulk_create(requests)  # sets created_at and updated_at to now
    for request, (created, updated) in zip(requests, times, strict=True):
        request.created_at, request.updated_at = created, updated
    set_receipt_times(requests)
    links = []
    for request in requests:
        if request.kind == RequestKind.ACTIVITY_SUPPORT:
            most = min(4, len(batch.services))
            wanted = rng.sample(batch.services, rng.randint(1, most))
            links += [(request.pk, service.pk) for service in wanted]
    batch.bulk_create_links(SupportRequest.services, links)


def new_request(batch: Batch, kind) -> SupportRequest:
    rng = batch.rng
    Status = SupportRequest.Status
    fiscal_year = rng.randint(FIRST_REQUEST_YEAR, LAST_REQUEST_YEAR)
    if fiscal_year == LAST_REQUEST_YEAR:  # the running year: at any step
        status = rng.choice(Status.values)
        latest = 150
    else:
        closed = [Status.COMPLETED, Status.DECLINED, Status.WITHDRAWN]
        status = rng.choices(closed, [85, 5, 10])[0]
        latest = 295
    received = batch.date_in(fiscal_year, 0, latest)
    request = SupportRequest(kind=kind, status=status, fiscal_year=fiscal_year)
    if not request.is_open:
        request.waiting_for = WaitingFor.NOBODY
    if kind == RequestKind.EXPERT_DISPATCH:
        expert_request(batch, request, received)
    else:
        japanese_request(batch, request, received)
    at = datetime.time(rng.randint(9, 17), rng.randint(0, 59))
    request.created_at = timezone.make_aware(datetime.datetime.combine(received, at))
    request.consented_at = request.created_at
    request.updated_at = request.created_at + datetime.timedelta(
        days=rng.randint(0, 20), hours=rng.randint(0, 8)
    )
    return request


def desk_members() -> list:
    """The generated desk's members, in the support desk group; no password,
    so nobody signs in as them."""
    User = get_user_model()
    group = Group.objects.get(name=SUPPORT_DESK)
    members = []
    for username in DESK_USERNAMES:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(group)
        members.append(user)
    return members


def assign(rng: random.Random, request, desk: list) -> None:
    """An assignee, and who acted last (the desk or the requester), for a
    request worked by the desk."""
    if request.status == SupportRequest.Status.CONSULTATION and rng.random() < 0.5:
        return
    request.assignee = rng.choice(desk)
    request.last_activity_at = request.updated_at
    request.last_activity_by = request.assignee if rng.random() < 0.5 else None


def number_requests(requests: list, *, seed: int) -> None:
    """References LOAD-<FY>-<n> in the order of receipt, after the highest
    existing one, and tracking tokens derived from the seed and reference."""
    requests.sort(key=lambda r: (r.fiscal_year, r.created_at))
    last = defaultdict(int)
    pattern = re.compile(rf"^{REFERENCE_PREFIX}-(\d{{4}})-(\d+)$")
    existing = SupportRequest.objects.filter(
        reference__startswith=f"{REFERENCE_PREFIX}-"
    ).values_list("reference", flat=True)
    for reference in existing:
        if match := pattern.match(reference):
            year, number = int(match[1]), int(match[2])
            last[year] = max(last[year], number)
    for request in requests:
        last[request.fiscal_year] += 1
        number = last[request.fiscal_year]
        request.reference = f"{REFERENCE_PREFIX}-{request.fiscal_year}-{number:05d}"
        digest = hashlib.sha256(f"{seed}:{request.reference}".encode()).digest()
        request.token = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def set_receipt_times(requests: list) -> None:
    """Put back the receipt and update times that bulk_create overwrote with
    now (auto_now_add, auto_now): one UPDATE over arrays, where bulk_update's
    CASE per row takes seconds at scale."""
    meta = SupportRequest._meta
    quote = connection.ops.quote_name
    created, updated = (meta.get_field(n).column for n in ("created_at", "updated_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS r "
            f"SET {quote(created)} = v.created, {quote(updated)} = v.updated "
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) "
            "AS v(id, created, updated) "
            f"WHERE r.{quote(meta.pk.column)} = v.id",
            [
                [r.pk for r in requests],
                [r.created_at for r in requests],
                [r.updated_at for r in requests],
            ],
        )


def japanese_request(batch: Batch, request, received: datetime.date) -> None:
    """Activity support or overseas research, in the requester's language."""
    rng = batch.rng
    government = rng.choice(batch.places.japanese)
    request.language = CHINESE if rng.random() < 0.1 else JAPANESE
    lang = 0 if request.language == JAPANESE else 1
    request.government = government.obj
    request.department = rng.choice(DEPARTMENTS)[lang]
    request.contact_name = (
        f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}"
        if lang == 0
        else rng.choice(CHINESE_NAMES)
    )
    request.email = (
        f"kokusai{rng.randint(1, 999):03d}@lg{government.obj.code}.example.jp"
    )
    request.phone = (
        f"0{rng.randint(11, 99)}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
    )
    if request.kind == RequestKind.ACTIVITY_SUPPORT:
        activity_support(batch, request, received, government, lang)
    else:
        subject = rng.choice(RESEARCH_SUBJECTS)
        request.research_subject = subject[lang]
        request.research_questions = both(
            (
                "{s}の概要と最近の動向について、統計データを含めてご教示ください。",
                "请介绍{s}的概况及最新动向（包括统计数据）。",
            ),
            s=subject,
        )[lang]
        request.needed_by = received + datetime.timedelta(days=rng.randint(30, 90))


def activity_support(batch: Batch, request, received, government, lang: int) -> None:
    rng = batch.rng
    stay_start = received + datetime.timedelta(days=rng.randint(14, 59))
    places = rng.sample(batch.places.chinese_cities, rng.randint(1, 3))
    request.stay_start = stay_start
    request.stay_end = batch.span(stay_start, 7)
    request.destinations = LIST_SEPARATOR.join(p.full[lang] for p in places)
    request.purpose = both(
        (
            "{g}訪中団による{c}との{t}に関する意見交換と視察",
            "{g}访华团与{c}就{t}交流意见并考察",
        ),
        g=government.full,
        c=places[0].full,
        t=rng.choice(TOPICS),
    )[lang]
    request.delegation_leader = both(
        ("{g}{t}", "{g}{t}"), g=government.full, t=LEADER_TITLES[government.obj.kind]
    )[lang]
    request.delegation_size = rng.randint(2, 30)


def expert_request(batch: Batch, request, received: datetime.date) -> None:
    """An expert dispatch asked by a Chinese government, mostly in Chinese."""
    rng = batch.rng
    government = rng.choice(batch.places.chinese_governments)
    request.language = JAPANESE if rng.random() < 0.1 else CHINESE
    lang = 0 if request.language == JAPANESE else 1
    request.chinese_government = government.obj
    request.department = both(
        ("{g}{d}", "{g}{d}"), g=government.name, d=rng.choice(CHINESE_DEPARTMENTS)
    )[lang]
    request.contact_name = rng.choice(CHINESE_NAMES)
    request.email = (
        f"waiban{rng.randint(1, 999):03d}@gov{government.obj.code}.example.cn"
    )
    request.phone = f"+86-{rng.randint(10, 999)}-{rng.randint(10000000, 99999999)}"
    expert_field = rng.choice(batch.expert_fields)
    request.expert_field = expert_field
    request.expert_subject = rng.choice(expert_subjects(expert_field))[lang]
    request.wished_start = received + datetime.timedelta(days=rng.randint(60, 200))
    request.wished_end = request.wished_start + datetime.timedelta(
        days=rng.randint(5, 14)
    )
