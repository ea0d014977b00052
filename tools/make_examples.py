"""Write examples/: a fictional-but-plausible Gia Lai ledger as the committee's CSV files.

Run once, from a fixed seed; the CSV files it writes are committed and `make demo` imports them.
Names are invented, except Nguyễn Thành Hưng, whose secondment the union's press reported.
The 2023 trips are tuned so that `report summary --year 2023` gives the article's figures:
19 cadres in the field, almost 1,300 field days (1,287), 38 thematic trips.
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
    write("units.csv", list(COLUMNS["units"]), [list(u) for u in UNITS])
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


if __name__ == "__main__":
    main()
