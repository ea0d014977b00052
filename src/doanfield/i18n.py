"""English and Vietnamese words for headings, statuses and messages.

JSON and CSV keys never change with the language; only what people read does.
"""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    en = "en"
    vi = "vi"


_VI: dict[str, str] = {
    # column headings
    "id": "#",
    "code": "Mã",
    "name": "Họ và tên",
    "level": "Cấp",
    "parent": "Đơn vị cấp trên",
    "unit": "Đơn vị",
    "position": "Chức vụ",
    "category": "Đối tượng",
    "birth_date": "Ngày sinh",
    "gender": "Giới tính",
    "active_from": "Từ ngày (chức vụ)",
    "active_to": "Đến ngày (chức vụ)",
    "given_name": "Tên",
    "plan": "Kế hoạch",
    "year": "Năm",
    "title": "Tên kế hoạch",
    "target": "Chỉ tiêu",
    "max_age": "Tuổi tối đa",
    "cadre": "Cán bộ",
    "start": "Từ ngày",
    "end": "Đến ngày",
    "kind": "Hình thức",
    "place": "Địa điểm",
    "program": "Chương trình",
    "note": "Ghi chú",
    "host": "Đơn vị tiếp nhận",
    "role": "Chức danh",
    "decision": "Quyết định",
    "status": "Trạng thái",
    "report_date": "Ngày báo cáo",
    "report": "Báo cáo",
    "reason": "Lý do",
    "at": "Thời gian",
    "os_user": "Người dùng",
    "command": "Lệnh",
    "entity": "Loại",
    "key": "Khóa",
    "action": "Thao tác",
    "before": "Trước",
    "after": "Sau",
    "value": "Giá trị",
    "from_year": "Áp dụng từ năm",
    "field_days": "Ngày đi cơ sở",
    "required_days": "Số ngày yêu cầu",
    "field_ok": "Đạt 1+2",
    "weeks": "Tuần đạt 4+1",
    "weeks_met": "Tuần đạt",
    "weeks_total": "Tổng số tuần",
    "missed_weeks": "Tuần chưa đạt",
    "training_status": "Đào tạo thực tế 3 tháng",
    "report_pending": "Chưa nộp báo cáo",
    "gap": "Ghi chú",
    "assigned": "Đã cử",
    "active": "Đang thực hiện",
    "completed": "Đã hoàn thành",
    "age": "Tuổi",
    "assignment": "Đợt tăng cường",
    "trips": "Số đợt",
    "days": "Số ngày",
    "count": "Số lượng",
    # statuses and words
    "done": "đã hoàn thành",
    "in_progress": "đang thực hiện",
    "planned": "kế hoạch",
    "missing": "chưa thực hiện",
    "not_required": "không bắt buộc",
    "cancelled": "đã hủy",
    "yes": "có",
    "no": "không",
    "met": "đạt",
    "missed": "chưa đạt",
    "inactive": "không tính",
    "short by {n} days": "thiếu {n} ngày",
    "short by 1 day": "thiếu 1 ngày",
    "report not filed": "chưa nộp báo cáo",
    "Compliance {year}": "Kết quả thực hiện năm {year}",
    "as of {date}": "tính đến {date}",
    "Cadres: {cadres} · meeting 1+2: {ok} · training done: {done} of {required}": (
        "Cán bộ: {cadres} · đạt 1+2: {ok} · đã đào tạo thực tế: {done}/{required}"
    ),
    "The year {year} in figures": "Năm {year} qua các con số",
    "In {year}, {cadres} cadres had {days} field days and {thematic} thematic trips.": (
        "Năm {year}, {cadres} cán bộ đi cơ sở {days} ngày, {thematic} đợt theo chuyên đề."
    ),
    "cadres in the field": "cán bộ đi cơ sở",
    "field days": "ngày đi cơ sở",
    "trips starting in the year": "đợt đi cơ sở bắt đầu trong năm",
    "assignments started": "đợt tăng cường bắt đầu",
    "assignments completed": "đợt tăng cường kết thúc",
    "Trips by kind": "Số đợt theo hình thức",
    "Trips by program": "Số đợt theo chương trình",
    "Field days by host unit": "Ngày đi cơ sở theo đơn vị",
    "4 days at the office, 1 at the grassroots — {year}": (
        "4 ngày ở cơ quan, 1 ngày ở cơ sở — {year}"
    ),
    "Plan {plan} ({year})": "Kế hoạch {plan} (năm {year})",
    "Age violations": "Vượt quá độ tuổi",
    "no violations": "không có trường hợp vượt tuổi",
    "Units": "Đơn vị",
    "Cadres": "Cán bộ",
    "Trips": "Đợt đi cơ sở",
    "Assignments": "Tăng cường, đào tạo thực tế",
    "Plans": "Kế hoạch",
    "Absences": "Vắng mặt",
    "Change log": "Nhật ký thay đổi",
    "Policy for {year}": "Quy định áp dụng năm {year}",
    "Totals by year": "Tổng hợp theo năm",
    "the latest {n} of {total} trips; all: doanfield trip list --cadre {code}": (
        "{n} đợt gần nhất trong {total} đợt; xem tất cả: doanfield trip list --cadre {code}"
    ),
    "thematic": "theo chuyên đề",
    "inspection": "kiểm tra, giám sát",
    "activity": "phối hợp tổ chức hoạt động",
    "committee_meeting": "dự hội nghị BCH/BTV",
    "branch_meeting": "dự sinh hoạt chi đoàn",
    "other": "khác",
    "provincial_leader": "lãnh đạo Tỉnh Đoàn",
    "provincial_staff": "cán bộ chuyên trách Tỉnh Đoàn",
    "district_key": "cán bộ chủ chốt cấp huyện",
    "nothing to show": "không có dữ liệu",
    "central": "trung ương",
    "province": "tỉnh",
    "district": "huyện",
    "commune": "xã",
    "branch": "chi đoàn",
    "{n} added, {u} updated, {s} skipped as already recorded": (
        "{n} thêm mới, {u} cập nhật, {s} bỏ qua vì đã có"
    ),
    "dry run: {n} would be added, {u} updated, {s} skipped; nothing was written": (
        "chạy thử: {n} sẽ thêm mới, {u} cập nhật, {s} bỏ qua; chưa ghi gì"
    ),
}


def vietnamese(text: str) -> str:
    """The Vietnamese label of a word such as `thematic` (the word itself if it has none)."""
    return _VI.get(text, text)


def day(lang: str, iso: str) -> str:
    """A date for people: 19/02/2024 in Vietnamese, 2024-02-19 in English."""
    if lang == Lang.vi and len(iso) == 10 and iso[4] == "-":
        return f"{iso[8:]}/{iso[5:7]}/{iso[:4]}"
    return iso


def number(lang: str, value: int) -> str:
    """1,287 in English, 1.287 in Vietnamese."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == Lang.vi else text


def tr(lang: str, text: str, **values: object) -> str:
    """The text in the user's language, with `{name}` values filled in.

    English keys such as `field_days` or `in_progress` read as "field days", "in progress".
    """
    if lang == Lang.vi:
        chosen = _VI.get(text, text)
    else:
        chosen = text.replace("_", " ") if text.isidentifier() else text
    return chosen.format(**values) if values else chosen
