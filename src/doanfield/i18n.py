"""Column headings for people, in English and Vietnamese; dates and numbers the reader's way.

JSON and CSV keys never change with the language; only what people read does. Sentences live
in messages.py, words (kinds, categories, levels, reasons, statuses) in vocabulary.py; this
module names the columns of tables and workbooks. Every Vietnamese heading a workbook carries
is also a header the importer accepts (importer.ALIASES takes them from `import_headings`), so
an exported workbook imports back.
"""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    en = "en"
    vi = "vi"


# column -> (English, Vietnamese)
HEADINGS: dict[str, tuple[str, str]] = {
    "id": ("#", "Số"),
    "row": ("No.", "STT"),
    "code": ("Code", "Mã"),
    "name": ("Full name", "Họ và tên"),
    "level": ("Level", "Cấp"),
    "parent": ("Parent unit", "Đơn vị cấp trên"),
    "unit": ("Unit", "Đơn vị"),
    "position": ("Position", "Chức vụ"),
    "category": ("Category", "Đối tượng"),
    "birth_date": ("Birth date", "Ngày sinh"),
    "gender": ("Gender", "Giới tính"),
    "active_from": ("In post from", "Giữ chức vụ từ ngày"),
    "active_to": ("In post until", "Giữ chức vụ đến ngày"),
    "given_name": ("Given name", "Tên"),
    "plan": ("Plan", "Kế hoạch"),
    "year": ("Year", "Năm"),
    "title": ("Title", "Tên kế hoạch"),
    "target": ("Target", "Chỉ tiêu"),
    "max_age": ("Maximum age", "Tuổi tối đa"),
    "cadre": ("Cadre", "Mã cán bộ"),
    "start": ("Start", "Từ ngày"),
    "end": ("End", "Đến ngày"),
    "kind": ("Kind", "Hình thức"),
    "place": ("Place", "Địa điểm"),
    "program": ("Program", "Chương trình"),
    "note": ("Note", "Ghi chú"),
    "host": ("Host unit", "Đơn vị tiếp nhận"),
    "role": ("Role", "Chức danh"),
    "decision": ("Decision", "Quyết định"),
    "status": ("Status", "Trạng thái"),
    "order": ("Travel order", "Số công lệnh"),
    "report_date": ("Report date", "Ngày báo cáo"),
    "report": ("Report", "Báo cáo"),
    "months": ("Months", "Số tháng"),
    "reason": ("Reason", "Lý do"),
    "at": ("Time", "Thời gian"),
    "os_user": ("User", "Người dùng"),
    "command": ("Command", "Lệnh"),
    "entity": ("Record", "Loại bản ghi"),
    "key": ("Key", "Khóa"),
    "action": ("Action", "Thao tác"),
    "before": ("Before", "Trước"),
    "after": ("After", "Sau"),
    "change": ("Change", "Nội dung thay đổi"),
    "added": ("Added", "Thêm mới"),
    "updated": ("Updated", "Cập nhật"),
    "skipped": ("Skipped", "Bỏ qua"),
    "value": ("Value", "Giá trị"),
    "about": ("What it sets", "Nội dung"),
    "from_year": ("From year", "Áp dụng từ năm"),
    "set_for": ("Set for", "Đặt cho"),
    "field_days": ("Field days", "Ngày đi cơ sở"),
    "required_days": ("Required days", "Số ngày phải đi"),
    "field_ok": ("Meets 1+2", "Đạt 1+2"),
    "weeks": ("Weeks 4+1", "Tuần đạt 4+1"),
    "weeks_met": ("Weeks met", "Số tuần đạt"),
    "weeks_total": ("Weeks", "Tổng số tuần"),
    "missed_weeks": ("Weeks missed", "Tuần chưa đạt"),
    "week_strip": ("Week by week", "Từng tuần"),
    "training_required": ("Training required", "Phải đào tạo thực tế"),
    "training_status": ("3-month training", "Đào tạo thực tế 3 tháng"),
    "report_pending": ("Report not filed", "Chưa nộp báo cáo"),
    "trip_reports_overdue": ("Trip reports overdue", "Báo cáo đi cơ sở quá hạn"),
    "due": ("Due", "Hạn nộp báo cáo"),
    "days_by_level": ("Days by host level", "Số ngày theo cấp đơn vị cơ sở"),
    "gap": ("Gap", "Còn thiếu"),
    "assigned": ("Assigned", "Đã cử"),
    "active": ("In progress", "Đang thực hiện"),
    "completed": ("Completed", "Đã hoàn thành"),
    "age": ("Age", "Tuổi"),
    "assignment": ("Assignment", "Đợt tăng cường"),
    "trips": ("Trips", "Số đợt"),
    "days": ("Days", "Số ngày"),
    "count": ("Count", "Số lượng"),
    "month": ("Month", "Tháng"),
    "figure": ("Figure", "Chỉ số"),
    "successors": ("Successors", "Đơn vị kế tục"),
    "parents": ("Parents over time", "Đơn vị cấp trên qua các thời kỳ"),
    "postings": ("Postings", "Quá trình công tác"),
    "quotas": ("Quotas", "Chỉ tiêu"),
    "from": ("From", "Từ ngày"),
}
# Where a column means something more precise in one kind of record.
KIND_HEADINGS: dict[str, dict[str, tuple[str, str]]] = {
    "units": {
        "code": ("Unit code", "Mã đơn vị"),
        "name": ("Unit name", "Tên đơn vị"),
        "active_from": ("First day", "Ngày thành lập"),
        "active_to": ("Last day", "Ngày giải thể"),
    },
    "cadres": {
        "code": ("Cadre code", "Mã cán bộ"),
        "active_from": ("In post from", "Từ ngày"),
        "active_to": ("In post until", "Đến ngày"),
    },
    "plans": {"plan": ("Plan", "Số kế hoạch")},
    "policy": {"key": ("Setting", "Quy định")},
}


def heading(column: str, lang: str, kind: str = "") -> str:
    """A column's heading for people: `Tên đơn vị` for a unit's name, `Họ và tên` for a cadre's."""
    pair = KIND_HEADINGS.get(kind, {}).get(column) or HEADINGS.get(column)
    if pair is None:
        return column.replace("_", " ").capitalize() if lang != Lang.vi else column
    return pair[1] if lang == Lang.vi else pair[0]


def import_headings(kind: str, columns: tuple[str, ...]) -> dict[str, str]:
    """Every heading a workbook of `kind` shows for `columns`, mapped back to its column."""
    return {heading(c, lang, kind): c for c in columns for lang in (Lang.en, Lang.vi)}


def day(lang: str, iso: str) -> str:
    """A date for people: 19/02/2024 in Vietnamese, 2024-02-19 in English."""
    if lang == Lang.vi and len(iso) == 10 and iso[4] == "-":
        return f"{iso[8:]}/{iso[5:7]}/{iso[:4]}"
    return iso


def number(lang: str, value: int) -> str:
    """1,287 in English, 1.287 in Vietnamese."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == Lang.vi else text
