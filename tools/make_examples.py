"""Write examples/: a fictional-but-plausible Gia Lai ledger as the committee's CSV files.

Run once, from a fixed seed; the CSV files it writes are committed and `make demo` imports them.
Names are invented, except Nguyễn Thành Hưng, whose secondment the union's press reported.
The 2023 trips are tuned so that `report summary --year 2023` gives the article's figures:
19 cadres in the field, almost 1,300 field days (1,287), 38 thematic trips.

Then the 2025 reform, from a seed of its own (the Gia Lai files stay exactly as they were):
examples/binh-dinh/ is a second, fictional Bình Định ledger (its own codes, 2024 trips and its
trips of January to June 2025), and examples/reform-2025/ what the merged province records from
1 July 2025 once that ledger is brought in with `import ledger --prefix BD-`: the new Tỉnh Đoàn
Gia Lai and merged communes, the district cadres' moves, the units that closed on 30 June, and
the trips of 2025 and early 2026. A few cadres' trips are written out by hand (HAND_TRIPS) so
that tests/test_reform.py can count their days on paper.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from doanfield import rules
from doanfield.columns import COLUMNS

OUT = Path(__file__).resolve().parent.parent / "examples"
RNG = random.Random(152)
FIELD_DAYS_2023 = 1287
THEMATIC_2023 = 38

UNITS = [
    ("TD", "Tỉnh Đoàn Gia Lai", "province", ""),
]
DISTRICTS = {
    "HD-PT": ("Huyện Đoàn Phú Thiện", ["Ia Sol", "Chư A Thai", "Ia Piar"]),
    "HD-DC": ("Huyện Đoàn Đức Cơ", ["Ia Dơk", "Ia Krêl", "Ia Nan"]),
    "HD-CS": ("Huyện Đoàn Chư Sê", ["Ia Glai", "Al Bá"]),
    "HD-IG": ("Huyện Đoàn Ia Grai", ["Ia Dêr", "Ia Sao"]),
    "HD-KP": ("Huyện Đoàn Krông Pa", ["Chư Gu", "Ia Rsai"]),
    "HD-DD": ("Huyện Đoàn Đak Đoa", ["Hà Bầu", "Kdang"]),
    "HD-CP": ("Huyện Đoàn Chư Prông", ["Ia Lâu", "Ia Mơ"]),
    "HD-KB": ("Huyện Đoàn Kbang", ["Sơn Lang", "Krong"]),
}
COMMUNES: list[tuple[str, str]] = []
for district, (name, communes) in DISTRICTS.items():
    UNITS.append((district, name, "district", "TD"))
    for index, commune in enumerate(communes, start=1):
        code = f"{district.replace('HD-', 'X-')}{index}"
        UNITS.append((code, f"Đoàn xã {commune}", "commune", district))
        COMMUNES.append((code, f"Xã {commune}"))

# (code, name, position, category, birth, gender, given name if not the last word)
PROVINCIAL = [
    ("GL01", "Rơ Mah Tuấn", "Bí thư Tỉnh Đoàn", "provincial_leader", "1984-03-11", "Nam"),
    ("GL02", "Trần Thị Ánh", "Phó Bí thư Tỉnh Đoàn", "provincial_leader", "1987-07-02", "Nữ"),
    ("GL03", "Lê Văn Bình", "Phó Bí thư Tỉnh Đoàn", "provincial_leader", "1986-10-20", "Nam"),
    (
        "GL04",
        "Nguyễn Thành Hưng",
        "Chuyên viên Ban Tổ chức - Kiểm tra",
        "provincial_staff",
        "1992-05-14",
        "Nam",
    ),
    ("GL05", "Ksor H'Bia", "Phó Trưởng Ban Tuyên giáo", "provincial_staff", "1990-01-25", "Nữ"),
    (
        "GL06",
        "Phạm Văn An",
        "Trưởng Ban Tổ chức - Kiểm tra",
        "provincial_staff",
        "1985-12-01",
        "Nam",
    ),
    ("GL07", "Hà Thị Giang Thảo", "Chuyên viên Văn phòng", "provincial_staff", "1995-04-09", "Nữ"),
    ("GL08", "Đỗ Minh Khoa", "Trưởng Ban Phong trào", "provincial_staff", "1988-08-30", "Nam"),
    ("GL09", "Siu H'Nhung", "Chuyên viên Ban Phong trào", "provincial_staff", "1996-02-17", "Nữ"),
    ("GL10", "Vũ Đức Long", "Chánh Văn phòng", "provincial_staff", "1983-06-05", "Nam"),
    ("GL11", "Hoàng Thị Mai", "Chuyên viên Ban Tuyên giáo", "provincial_staff", "1994-11-23", "Nữ"),
    (
        "GL12",
        "Bùi Quang Nam",
        "Phó Trưởng Ban Tổ chức - Kiểm tra",
        "provincial_staff",
        "1991-09-12",
        "Nam",
    ),
    ("GL13", "Đinh Văn Phúc", "Chuyên viên Ban Mặt trận", "provincial_staff", "1993-03-03", "Nam"),
    ("GL14", "Ngô Thị Quỳnh", "Trưởng Ban Mặt trận", "provincial_staff", "1989-12-19", "Nữ"),
    (
        "GL15",
        "Rah Lan Sương",
        "Chuyên viên Ban Thanh thiếu nhi",
        "provincial_staff",
        "1997-05-28",
        "Nữ",
    ),
    ("GL16", "Lý Văn Tâm", "Kế toán", "provincial_staff", "1990-07-07", "Nam"),
    (
        "GL17",
        "Phan Thị Uyên",
        "Chuyên viên Ban Thanh thiếu nhi",
        "provincial_staff",
        "1998-01-14",
        "Nữ",
    ),
    ("GL18", "Mai Xuân Vinh", "Phó Chánh Văn phòng", "provincial_staff", "1987-02-22", "Nam"),
    ("GL19", "Kpă Yến", "Chuyên viên Ban Tuyên giáo", "provincial_staff", "1999-10-10", "Nữ"),
]
DISTRICT_CADRES = [
    ("PT01", "Nguyễn Văn Cường", "HD-PT", "Bí thư Huyện Đoàn", "district_key", "1990-04-04", "Nam"),
    ("PT02", "Rơ Châm Dung", "HD-PT", "Chuyên viên", "other", "1997-06-16", "Nữ"),
    ("DC01", "Trần Quốc Đạt", "HD-DC", "Bí thư Huyện Đoàn", "district_key", "1988-09-09", "Nam"),
    ("DC02", "Ksor Giang", "HD-DC", "Phó Bí thư Huyện Đoàn", "district_key", "1995-12-12", "Nữ"),
    ("CS01", "Lê Thị Hạnh", "HD-CS", "Phó Bí thư Huyện Đoàn", "district_key", "1993-01-30", "Nữ"),
    ("CS02", "Võ Minh Hiếu", "HD-CS", "Chuyên viên", "other", "1998-03-21", "Nam"),
    ("IG01", "Nguyễn Thị Hoa", "HD-IG", "Bí thư Huyện Đoàn", "district_key", "1987-05-05", "Nữ"),
    ("IG02", "Puih Khánh", "HD-IG", "Phó Bí thư Huyện Đoàn", "district_key", "1994-08-18", "Nam"),
    (
        "KP01",
        "Trương Văn Lộc",
        "HD-KP",
        "Phó Bí thư Huyện Đoàn",
        "district_key",
        "1992-02-02",
        "Nam",
    ),
    ("KP02", "Nay Minh", "HD-KP", "Chuyên viên", "other", "1999-11-11", "Nam"),
    ("DD01", "Phạm Thị Ngọc", "HD-DD", "Phó Bí thư Huyện Đoàn", "district_key", "1991-07-27", "Nữ"),
    ("DD02", "Đặng Văn Phong", "HD-DD", "Chuyên viên", "other", "1996-04-15", "Nam"),
    ("CP01", "Hồ Thị Quế", "HD-CP", "Bí thư Huyện Đoàn", "district_key", "1986-10-01", "Nữ"),
    ("CP02", "Rmah Sang", "HD-CP", "Chuyên viên", "other", "2000-01-19", "Nam"),
    (
        "KB01",
        "Lương Văn Thắng",
        "HD-KB",
        "Phó Bí thư Huyện Đoàn",
        "district_key",
        "1990-12-24",
        "Nam",
    ),
]
PROGRAMS = [
    "Ấm áp mùa đông",
    "Xuân yêu thương-Tết biên cương",
    "Tháng Thanh niên",
    "Chiến dịch Thanh niên tình nguyện hè",
    "",
]
OTHER_KINDS = ["inspection", "activity", "committee_meeting", "branch_meeting", "other"]
PLAN = "152-KH/TĐTN-TCKT"


def vn(d: date) -> str:
    """Day-first, as the office's spreadsheets write dates."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with (OUT / name).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


# (cadre, first day, last day, reason): nobody goes to the grassroots while away.
ABSENCES = [
    (
        "DC01",
        date(2024, 3, 4),
        date(2024, 8, 30),
        "study: Trung cấp lý luận chính trị - hành chính",
    ),
    ("GL07", date(2024, 6, 1), date(2024, 11, 30), "maternity"),
]


def leave_during(code: str, start: date, end: date) -> tuple[date, date] | None:
    """The cadre's absence sharing a day with start..end, if any."""
    return next(((s, e) for c, s, e, _ in ABSENCES if c == code and s <= end and start <= e), None)


def year_trips(year: int, cadres: list[str], per_cadre: dict[str, int]) -> list[list]:
    """Weekly one-day visits plus a few longer stays; some stays overlap a weekly visit."""
    trips: list[list] = []
    for code in cadres:
        wanted = per_cadre[code]
        days_done = 0
        day = date(year, 1, 2) + timedelta(days=RNG.randrange(0, 5))
        while days_done < wanted and day.year == year:
            length = RNG.choice([2, 3, 4]) if RNG.random() < 0.12 else 1
            end = min(day + timedelta(days=length - 1), date(year, 12, 31))
            leave = leave_during(code, day, end)
            if leave is not None:  # away: back to the grassroots the day after
                day = leave[1] + timedelta(days=1)
                continue
            trips.append([code, day, end])
            days_done += (end - day).days + 1
            day += timedelta(days=RNG.choice([4, 5, 6, 7, 7, 8]))
        # A stay that overlaps another trip: the ledger counts those days once.
        if trips and trips[-1][0] == code:
            first = trips[-1][1]
            if leave_during(code, first, first + timedelta(days=1)) is None:
                trips.append([code, first, first + timedelta(days=1)])
    return trips


def field_total(trips: list[list], year: int) -> int:
    by_cadre: dict[str, list[tuple[date, date]]] = {}
    for code, start, end in trips:
        by_cadre.setdefault(code, []).append((start, end))
    return sum(rules.field_days(spans, [], year) for spans in by_cadre.values())


def tune(trips: list[list], year: int, target: int) -> None:
    """Drop or add one-day visits until the year's field days are exactly `target`."""
    while (total := field_total(trips, year)) != target:
        if total > target:
            singles = [i for i, t in enumerate(trips) if t[1] == t[2]]
            trips.pop(singles[-1])
        else:
            code = RNG.choice([t[0] for t in trips])
            taken = {t[1] for t in trips if t[0] == code}
            day = date(year, 1, 1) + timedelta(days=RNG.randrange(0, 365))
            if day not in taken and day.weekday() < 5:
                trips.append([code, day, day])


def trip_rows(trips: list[list], thematic: int | None) -> list[list[str]]:
    trips.sort(key=lambda t: (t[1], t[0]))
    kinds = [RNG.choice(OTHER_KINDS) for _ in trips]
    chosen = RNG.sample(range(len(trips)), thematic) if thematic is not None else []
    for index in chosen:
        kinds[index] = "thematic"
    if thematic is None:
        kinds = [k if RNG.random() > 0.15 else "thematic" for k in kinds]
    rows = []
    for (code, start, end), kind in zip(trips, kinds, strict=True):
        unit, place = RNG.choice(COMMUNES)
        program = RNG.choice(PROGRAMS) if kind in ("thematic", "activity") else ""
        rows.append(
            [code, vn(start), vn(end) if end != start else "", kind, place, unit, program, ""]
        )
    return rows


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write("units.csv", ["code", "name", "level", "parent"], [list(u) for u in UNITS])
    cadre_rows = [
        [c[0], c[1], "TD", c[2], c[3], vn(date.fromisoformat(c[4])), c[5], "01/01/2020", ""]
        for c in PROVINCIAL
    ]
    cadre_rows += [
        [c[0], c[1], c[2], c[3], c[4], vn(date.fromisoformat(c[5])), c[6], "01/01/2021", ""]
        for c in DISTRICT_CADRES
    ]
    # Vietnamese headers, as the office's own spreadsheet has them.
    write(
        "cadres.csv",
        [
            "Mã cán bộ",
            "Họ và tên",
            "Đơn vị",
            "Chức vụ",
            "Đối tượng",
            "Ngày sinh",
            "Giới tính",
            "Từ ngày",
            "Đến ngày",
        ],
        cadre_rows,
    )
    write(
        "plans.csv",
        list(COLUMNS["plans"]),
        [
            [PLAN, "2024", "Tăng cường cán bộ Đoàn về cơ sở năm 2024", "province", "7", ""],
            [PLAN, "2024", "Tăng cường cán bộ Đoàn về cơ sở năm 2024", "district", "13", "35"],
        ],
    )
    provincial = [c[0] for c in PROVINCIAL]
    per_cadre_2023 = {code: RNG.randrange(52, 84) for code in provincial}
    trips_2023 = year_trips(2023, provincial, per_cadre_2023)
    tune(trips_2023, 2023, FIELD_DAYS_2023)
    header = [
        "Mã cán bộ",
        "Từ ngày",
        "Đến ngày",
        "Hình thức",
        "Địa điểm",
        "Đơn vị",
        "Chương trình",
        "Ghi chú",
    ]
    write("trips-2023.csv", header, trip_rows(trips_2023, THEMATIC_2023))
    # 2024: most keep the 1+2 rule, a few fall short; district cadres go too.
    per_cadre_2024 = {code: RNG.randrange(56, 80) for code in provincial}
    for short in ("GL08", "GL13", "GL16", "GL19"):
        per_cadre_2024[short] = RNG.randrange(30, 50)
    per_cadre_2024["GL04"] = 20  # Nguyễn Thành Hưng also spends three months seconded
    district = [c[0] for c in DISTRICT_CADRES]
    per_cadre_2024.update({code: RNG.randrange(35, 75) for code in district})
    per_cadre_2024["DC01"] = 25  # away at the political-theory course for half the year
    trips_2024 = year_trips(2024, provincial + district, per_cadre_2024)
    write("trips-2024.csv", header, trip_rows(trips_2024, None))
    assignments = [
        [
            "GL04",
            "HD-PT",
            "19/02/2024",
            "18/05/2024",
            "Phó Bí thư Huyện Đoàn Phú Thiện",
            "Quyết định số 45-QĐ/TĐTN ngày 05/02/2024",
            PLAN,
            "",
            "27/05/2024",
            "Nắm tình hình thanh niên các xã vùng khó; khó khăn: địa bàn rộng, "
            "thanh niên đi làm ăn xa; đề xuất: tăng sinh hoạt chi đoàn ghép, "
            "hỗ trợ kinh phí cho cơ sở.",
        ],
        [
            "GL09",
            "HD-KP",
            "01/03/2024",
            "31/05/2024",
            "Phó Bí thư Huyện Đoàn Krông Pa",
            "Quyết định số 46-QĐ/TĐTN ngày 20/02/2024",
            PLAN,
            "",
            "",
            "",
        ],
        [
            "GL13",
            "HD-DC",
            "01/07/2024",
            "30/09/2024",
            "Phó Bí thư Huyện Đoàn Đức Cơ",
            "Quyết định số 88-QĐ/TĐTN ngày 20/06/2024",
            PLAN,
            "",
            "10/10/2024",
            "Hoàn thành nhiệm vụ; đề xuất tiếp tục tăng cường cán bộ cho các xã biên giới.",
        ],
        [
            "GL15",
            "HD-IG",
            "01/11/2024",
            "31/01/2025",
            "Phó Bí thư Huyện Đoàn Ia Grai",
            "Quyết định số 120-QĐ/TĐTN ngày 25/10/2024",
            PLAN,
            "",
            "",
            "",
        ],
        [
            "GL17",
            "HD-CS",
            "15/11/2024",
            "14/02/2025",
            "Phó Bí thư Huyện Đoàn Chư Sê",
            "Quyết định số 121-QĐ/TĐTN ngày 25/10/2024",
            PLAN,
            "",
            "",
            "",
        ],
        [
            "GL11",
            "HD-KB",
            "01/12/2024",
            "28/02/2025",
            "Phó Bí thư Huyện Đoàn Kbang",
            "Quyết định số 130-QĐ/TĐTN ngày 20/11/2024",
            PLAN,
            "cancelled",
            "",
            "",
        ],
        [
            "GL06",
            "HD-DD",
            "01/04/2022",
            "30/06/2022",
            "Phó Bí thư Huyện Đoàn Đak Đoa",
            "Quyết định số 30-QĐ/TĐTN ngày 15/03/2022",
            "",
            "",
            "15/07/2022",
            "Đã hoàn thành đợt đào tạo thực tế tại cơ sở.",
        ],
    ]
    seconded = [
        ("PT02", "X-PT1"),
        ("DC02", "X-DC2"),
        ("CS02", "X-CS1"),
        ("IG02", "X-IG1"),
        ("KP02", "X-KP2"),
        ("DD02", "X-DD1"),
        ("CP02", "X-CP2"),
        ("KB01", "X-KB1"),
        ("CP01", "X-CP1"),
    ]
    starts = [
        "04/03/2024",
        "04/03/2024",
        "01/04/2024",
        "01/04/2024",
        "03/06/2024",
        "01/07/2024",
        "01/10/2024",
        "01/10/2024",
        "01/11/2024",
    ]
    for (code, host), start in zip(seconded, starts, strict=True):
        first = date(int(start[6:]), int(start[3:5]), int(start[:2]))
        last = rules.end_for_months(first, 3)
        assignments.append(
            [
                code,
                host,
                start,
                vn(last),
                "Phó Bí thư Đoàn xã",
                "Quyết định của Ban Thường vụ Huyện Đoàn",
                PLAN,
                "",
                "",
                "",
            ]
        )
    write("assignments.csv", list(COLUMNS["assignments"]), assignments)
    write(
        "absences.csv",
        ["cadre", "start", "end", "reason"],
        [[code, vn(start), vn(end), reason] for code, start, end, reason in ABSENCES],
    )


# ------------------------------------------------------------------------ the 2025 reform

REFORM_RNG = random.Random(2025)
PREFIX = "BD-"  # what `import ledger --prefix` puts in front of Bình Định's codes
REFORM_DAY = date(2025, 7, 1)
BD_DISTRICTS = {
    "HD-AN": ("Thị Đoàn An Nhơn", ["Đoàn phường Bình Định", "Đoàn xã Nhơn Hậu"]),
    "HD-PC": ("Huyện Đoàn Phù Cát", ["Đoàn xã Cát Tân", "Đoàn xã Cát Hanh"]),
    "HD-TS": ("Huyện Đoàn Tây Sơn", ["Đoàn xã Bình Tường", "Đoàn xã Tây Giang"]),
    "HD-QN": ("Thành Đoàn Quy Nhơn", ["Đoàn phường Ghềnh Ráng", "Đoàn xã Nhơn Lý"]),
}
BD_UNITS = [("TD", "Tỉnh Đoàn Bình Định", "province", "")]
BD_COMMUNES: list[tuple[str, str]] = []


def _upper_first(name: str) -> str:
    """'xã Phú Thiện' -> 'Xã Phú Thiện' (str.capitalize would lower 'Phú Thiện')."""
    return name[:1].upper() + name[1:]


for _district, (_name, _communes) in BD_DISTRICTS.items():
    BD_UNITS.append((_district, _name, "district", "TD"))
    for _index, _commune in enumerate(_communes, start=1):
        _code = f"{_district.replace('HD-', 'X-')}{_index}"
        BD_UNITS.append((_code, _commune, "commune", _district))
        BD_COMMUNES.append((_code, _upper_first(_commune.replace("Đoàn ", ""))))
# (code, name, unit, position, category, birth, gender, given name when not the last word)
BD_CADRES = [
    ("CB01", "Đặng Thị Lan", "TD", "Bí thư Tỉnh Đoàn", "provincial_leader", "1985-04-18", "Nữ"),
    (
        "CB02",
        "Võ Minh Quân",
        "TD",
        "Phó Bí thư Tỉnh Đoàn",
        "provincial_leader",
        "1988-09-03",
        "Nam",
    ),
    (
        "CB03",
        "Huỳnh Thị Ngọc Hân",
        "TD",
        "Trưởng Ban Tổ chức",
        "provincial_staff",
        "1990-02-11",
        "Nữ",
        "Ngọc Hân",
    ),
    (
        "CB04",
        "Nguyễn Hữu Phước",
        "TD",
        "Chuyên viên Ban Phong trào",
        "provincial_staff",
        "1994-06-27",
        "Nam",
    ),
    (
        "CB05",
        "Trương Thị Kim Yến",
        "TD",
        "Chuyên viên Ban Tuyên giáo",
        "provincial_staff",
        "1996-12-05",
        "Nữ",
    ),
    ("CB06", "Lê Quang Vinh", "TD", "Chánh Văn phòng", "provincial_staff", "1986-07-14", "Nam"),
    (
        "CB07",
        "Phan Thanh Tùng",
        "TD",
        "Chuyên viên Văn phòng",
        "provincial_staff",
        "1997-03-30",
        "Nam",
    ),
    (
        "CB08",
        "Đoàn Thị Mỹ Linh",
        "TD",
        "Phó Trưởng Ban Thanh thiếu nhi",
        "provincial_staff",
        "1992-10-22",
        "Nữ",
    ),
    ("AN01", "Trần Văn Tài", "HD-AN", "Bí thư Thị Đoàn", "district_key", "1989-05-09", "Nam"),
    ("AN02", "Ngô Thị Thu Hà", "HD-AN", "Chuyên viên", "other", "1998-08-08", "Nữ"),
    ("PC01", "Nguyễn Văn Sơn", "HD-PC", "Bí thư Huyện Đoàn", "district_key", "1987-01-15", "Nam"),
    ("TS01", "Bùi Thị Hồng", "HD-TS", "Phó Bí thư Huyện Đoàn", "district_key", "1993-04-21", "Nữ"),
    ("TS02", "Lý Minh Trí", "HD-TS", "Chuyên viên", "other", "1999-09-19", "Nam"),
    ("QN01", "Võ Thị Thanh Thủy", "HD-QN", "Bí thư Thành Đoàn", "district_key", "1988-11-02", "Nữ"),
]
BD_PLAN = "20-KH/TĐTN"
BD_ABSENCES = [("CB05", date(2024, 8, 1), date(2025, 1, 31), "maternity")]
# The merged province from 01/07/2025: its union, and one merged commune (or ward) for each
# old district, formed from that district's communes.
GL = "GL"
MERGED = {
    **{d: (f"X25-{d[3:]}", f"Đoàn xã {n.split(' ', 2)[2]}") for d, (n, _) in DISTRICTS.items()},
    PREFIX + "HD-AN": ("X25-AN", "Đoàn phường An Nhơn"),
    PREFIX + "HD-PC": ("X25-PC", "Đoàn xã Phù Cát"),
    PREFIX + "HD-TS": ("X25-TS", "Đoàn xã Tây Sơn"),
    PREFIX + "HD-QN": ("X25-QN", "Đoàn phường Quy Nhơn"),
}
# Where each district cadre goes from 01/07/2025: (unit, category, position); an empty value
# keeps what the cadre had. KB01 leaves at the reform (his post ends on 30/06/2025).
MOVES = {
    "PT01": ("X25-PT", "other", "Bí thư Đoàn xã Phú Thiện"),
    "PT02": ("X25-PT", "", "Phó Bí thư Đoàn xã Phú Thiện"),
    "DC01": (GL, "provincial_staff", "Phó Trưởng Ban Tổ chức - Kiểm tra"),
    "DC02": ("X25-DC", "other", "Bí thư Đoàn xã Đức Cơ"),
    "CS01": ("X25-CS", "other", "Bí thư Đoàn xã Chư Sê"),
    "CS02": ("X25-CS", "", ""),
    "IG01": (GL, "provincial_staff", "Chuyên viên Ban Tuyên giáo"),
    "IG02": ("X25-IG", "other", "Bí thư Đoàn xã Ia Grai"),
    "KP01": ("X25-KP", "other", "Bí thư Đoàn xã Krông Pa"),
    "KP02": ("X25-KP", "", ""),
    "DD01": ("X25-DD", "other", "Bí thư Đoàn xã Đak Đoa"),
    "DD02": ("X25-DD", "", ""),
    "CP01": (GL, "provincial_staff", "Chuyên viên Ban Phong trào"),
    "CP02": ("X25-CP", "", ""),
    PREFIX + "CB01": (GL, "provincial_leader", "Phó Bí thư Tỉnh Đoàn"),
    PREFIX + "AN01": ("X25-AN", "other", "Bí thư Đoàn phường An Nhơn"),
    PREFIX + "AN02": ("X25-AN", "", ""),
    PREFIX + "PC01": (GL, "provincial_staff", "Phó Chánh Văn phòng"),
    PREFIX + "TS01": ("X25-TS", "other", "Bí thư Đoàn xã Tây Sơn"),
    PREFIX + "TS02": ("X25-TS", "", ""),
    PREFIX + "QN01": ("X25-QN", "other", "Bí thư Đoàn phường Quy Nhơn"),
}
LEAVES = {"KB01": date(2025, 6, 30)}
# Trips written out by hand: (cadre, first day, last day, kind, host). Counted in
# tests/test_reform.py. PT01 in 2025: 9 days before the reform, 13 after (the one-day visit
# of 08/07 falls inside 07/07-11/07); AN01 of Bình Định: 5 days in its own ledger, 6 after;
# KB01: 3 days before he leaves.
HAND_TRIPS = {
    "PT01": [
        (date(2025, 1, 14), date(2025, 1, 14), "inspection", "X-PT1"),
        (date(2025, 2, 10), date(2025, 2, 12), "thematic", "X-PT2"),
        (date(2025, 3, 17), date(2025, 3, 17), "branch_meeting", "X-PT3"),
        (date(2025, 4, 21), date(2025, 4, 23), "activity", "X-PT1"),
        (date(2025, 5, 26), date(2025, 5, 26), "committee_meeting", "X-PT2"),
        (date(2025, 7, 7), date(2025, 7, 11), "activity", "X25-PT"),
        (date(2025, 7, 8), date(2025, 7, 8), "thematic", "X25-PT"),
        (date(2025, 8, 18), date(2025, 8, 18), "branch_meeting", "X25-PT"),
        (date(2025, 9, 15), date(2025, 9, 16), "inspection", "X25-PT"),
        (date(2025, 10, 20), date(2025, 10, 20), "thematic", "X25-PT"),
        (date(2025, 11, 17), date(2025, 11, 19), "activity", "X25-PT"),
        (date(2025, 12, 8), date(2025, 12, 8), "committee_meeting", "X25-PT"),
    ],
    "AN01": [
        (date(2025, 1, 6), date(2025, 1, 8), "thematic", "X-AN2"),
        (date(2025, 3, 3), date(2025, 3, 3), "inspection", "X-AN1"),
        (date(2025, 6, 9), date(2025, 6, 9), "branch_meeting", "X-AN2"),
    ],
    PREFIX + "AN01": [
        (date(2025, 7, 14), date(2025, 7, 18), "activity", "X25-AN"),
        (date(2025, 8, 25), date(2025, 8, 25), "thematic", "X25-AN"),
    ],
    "KB01": [
        (date(2025, 1, 13), date(2025, 1, 13), "inspection", "X-KB1"),
        (date(2025, 2, 24), date(2025, 2, 25), "thematic", "X-KB2"),
    ],
}
REFORM_KINDS = ["thematic", "inspection", "activity", "committee_meeting", "branch_meeting"]
TRIP_HEADER = [
    "Mã cán bộ",
    "Từ ngày",
    "Đến ngày",
    "Hình thức",
    "Địa điểm",
    "Đơn vị",
    "Chương trình",
    "Ghi chú",
]


def _place(unit_name: str) -> str:
    return _upper_first(unit_name.replace("Đoàn ", ""))


def span_trips(
    wanted: dict[str, int],
    first: date,
    last: date,
    hosts: dict[str, list[tuple[str, str]]],
    away: list[tuple[str, date, date, str]] = (),  # type: ignore[assignment]
) -> list[list[str]]:
    """Visits every few days (a few of several days) from `first` to `last`, each cadre's
    `wanted` days at most, hosted by one of `hosts[cadre]` (code, place); none while away."""
    rows: list[list[str]] = []
    for code, days in wanted.items():
        done = 0
        day = first + timedelta(days=REFORM_RNG.randrange(0, 5))
        while done < days and day <= last:
            length = REFORM_RNG.choice([2, 3]) if REFORM_RNG.random() < 0.12 else 1
            end = min(day + timedelta(days=length - 1), last)
            if any(c == code and s <= end and day <= e for c, s, e, _ in away):
                day = next(e for c, s, e, _ in away if c == code and s <= end and day <= e)
                day += timedelta(days=1)
                continue
            unit, place = REFORM_RNG.choice(hosts[code])
            kind = REFORM_RNG.choice(REFORM_KINDS)
            program = REFORM_RNG.choice(PROGRAMS) if kind in ("thematic", "activity") else ""
            rows.append(
                [code, vn(day), vn(end) if end != day else "", kind, place, unit, program, ""]
            )
            done += (end - day).days + 1
            day += timedelta(days=REFORM_RNG.choice([4, 5, 6, 7, 7, 8]))
    return rows


def hand_trips(code: str, first: date, last: date, places: dict[str, str]) -> list[list[str]]:
    return [
        [code, vn(s), vn(e) if e != s else "", kind, places[host], host, "", ""]
        for s, e, kind, host in HAND_TRIPS[code]
        if first <= s <= last
    ]


def sorted_trips(rows: list[list[str]]) -> list[list[str]]:
    def key(row: list[str]) -> tuple[str, str]:
        day = row[1]
        return (f"{day[6:]}{day[3:5]}{day[:2]}", row[0])

    return sorted(rows, key=key)


def binh_dinh() -> None:
    """examples/binh-dinh/: the Bình Định ledger, as its own office kept it until 30/06/2025."""
    out = OUT / "binh-dinh"
    out.mkdir(exist_ok=True)

    def put(name: str, header: list[str], rows: list[list[str]]) -> None:
        write(f"binh-dinh/{name}", header, rows)

    put("units.csv", ["code", "name", "level", "parent"], [list(u) for u in BD_UNITS])
    put(
        "cadres.csv",
        [
            "Mã cán bộ",
            "Họ và tên",
            "Đơn vị",
            "Chức vụ",
            "Đối tượng",
            "Ngày sinh",
            "Giới tính",
            "Từ ngày",
            "Tên",
        ],
        [
            [
                c[0],
                c[1],
                c[2],
                c[3],
                c[4],
                vn(date.fromisoformat(c[5])),
                c[6],
                "01/01/2020" if c[2] == "TD" else "01/01/2021",
                c[7] if len(c) > 7 else "",
            ]
            for c in BD_CADRES
        ],
    )
    title = "Tăng cường cán bộ Đoàn về cơ sở năm 2024"
    put(
        "plans.csv",
        list(COLUMNS["plans"]),
        [
            [BD_PLAN, "2024", title, "province", "2", ""],
            [BD_PLAN, "2024", title, "district", "3", "35"],
        ],
    )
    put(
        "assignments.csv",
        ["cadre", "host", "start", "end", "role", "decision", "plan"],
        [
            [
                "CB04",
                "HD-PC",
                "01/03/2024",
                "31/05/2024",
                "Phó Bí thư Huyện Đoàn Phù Cát",
                "Quyết định số 12-QĐ/TĐTN ngày 20/02/2024",
                BD_PLAN,
            ],
            [
                "TS02",
                "X-TS1",
                "01/04/2024",
                "30/06/2024",
                "Phó Bí thư Đoàn xã Bình Tường",
                "Quyết định của Ban Thường vụ Huyện Đoàn Tây Sơn",
                BD_PLAN,
            ],
        ],
    )
    put(
        "absences.csv",
        ["cadre", "start", "end", "reason"],
        [[c, vn(s), vn(e), r] for c, s, e, r in BD_ABSENCES],
    )
    by_district = {
        d: [(c, p) for c, p in BD_COMMUNES if c.startswith(d.replace("HD-", "X-"))]
        for d in BD_DISTRICTS
    }
    hosts = {c[0]: by_district.get(c[2], BD_COMMUNES) for c in BD_CADRES}
    wanted = {c[0]: REFORM_RNG.randrange(45, 75) for c in BD_CADRES}
    put(
        "trips-2024.csv",
        TRIP_HEADER,
        sorted_trips(span_trips(wanted, date(2024, 1, 2), date(2024, 12, 31), hosts, BD_ABSENCES)),
    )
    wanted = {c[0]: REFORM_RNG.randrange(22, 36) for c in BD_CADRES if c[0] != "AN01"}
    places = dict(BD_COMMUNES)
    rows = span_trips(wanted, date(2025, 1, 2), date(2025, 6, 30), hosts, BD_ABSENCES)
    rows += hand_trips("AN01", date(2025, 1, 1), date(2025, 6, 30), places)
    put("trips-2025.csv", TRIP_HEADER, sorted_trips(rows))


def reform() -> None:
    """examples/reform-2025/: what the merged Gia Lai records from 01/07/2025."""
    out = OUT / "reform-2025"
    out.mkdir(exist_ok=True)
    first = vn(REFORM_DAY)
    new_units = [[GL, "Tỉnh Đoàn Gia Lai", "tỉnh", "", first]]
    new_units += [
        [code, name, "phường" if "phường" in name else "xã", GL, first]
        for code, name in MERGED.values()
    ]
    write(
        "reform-2025/units.csv",
        ["Mã đơn vị", "Tên đơn vị", "Cấp", "Trực thuộc", "Ngày thành lập"],
        new_units,
    )
    names = {c[0]: c[1] for c in [*PROVINCIAL, *DISTRICT_CADRES]}
    names.update({PREFIX + c[0]: c[1] for c in BD_CADRES})
    write(
        "reform-2025/moves.csv",
        ["Mã cán bộ", "Họ và tên", "Đơn vị mới", "Từ ngày", "Đối tượng", "Chức vụ"],
        [
            [code, names[code], unit, first, category, position]
            for code, (unit, category, position) in MOVES.items()
        ],
    )
    last = vn(REFORM_DAY - timedelta(days=1))
    closed = []
    for district, (merged, _) in MERGED.items():
        source = BD_UNITS if district.startswith(PREFIX) else UNITS
        bare = district.removeprefix(PREFIX)
        prefix = PREFIX if district.startswith(PREFIX) else ""
        for code, name, level, parent in source:
            if parent == bare:
                closed.append([prefix + code, name, level, prefix + parent, last, merged])
        name = next(u[1] for u in source if u[0] == bare)
        closed.append([district, name, "district", prefix + "TD", last, GL])
    write(
        "reform-2025/closed.csv",
        ["Mã đơn vị", "Tên đơn vị", "Cấp", "Đơn vị cấp trên", "Ngày giải thể", "Đơn vị kế tục"],
        closed,
    )
    # Who is in post after the reform, and where they visit.
    gl_cadres = [c[0] for c in PROVINCIAL] + [c[0] for c in DISTRICT_CADRES]
    bd_cadres = [PREFIX + c[0] for c in BD_CADRES]
    old_hosts = {c[0]: COMMUNES for c in PROVINCIAL}
    for code, _, district, *_ in DISTRICT_CADRES:
        old_hosts[code] = [
            (u, p) for u, p in COMMUNES if u.startswith(district.replace("HD-", "X-"))
        ]
    merged_places = {code: _place(name) for code, name in MERGED.values()}
    new_hosts = list(merged_places.items())
    home = {code: [(u, merged_places[u])] for code, (u, _, _) in MOVES.items() if u != GL}
    after = {c: home.get(c, new_hosts) for c in gl_cadres + bd_cadres if c not in LEAVES}
    hand = set(HAND_TRIPS)
    wanted = {c: REFORM_RNG.randrange(24, 40) for c in gl_cadres if c not in hand}
    rows = span_trips(wanted, date(2025, 1, 2), date(2025, 6, 30), old_hosts)
    wanted = {c: REFORM_RNG.randrange(24, 40) for c in after if c not in hand}
    rows += span_trips(wanted, REFORM_DAY, date(2025, 12, 31), after)
    places = {**dict(COMMUNES), **merged_places}
    for code in ("PT01", PREFIX + "AN01", "KB01"):
        rows += hand_trips(code, date(2025, 1, 1), date(2025, 12, 31), places)
    write("reform-2025/trips-2025.csv", TRIP_HEADER, sorted_trips(rows))
    wanted = {c: REFORM_RNG.randrange(8, 16) for c in after}
    write(
        "reform-2025/trips-2026.csv",
        TRIP_HEADER,
        sorted_trips(span_trips(wanted, date(2026, 1, 5), date(2026, 3, 31), after)),
    )


if __name__ == "__main__":
    main()
    binh_dinh()
    reform()
