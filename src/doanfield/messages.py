"""Every sentence doanfield says to a person, in English and Vietnamese side by side.

How to use it when you write a command (stdlib only: safe to import anywhere):

* Add a member to `Msg` in the section it belongs to, English first, Vietnamese second;
  `{name}` marks a value, and both sides name the same values:

      TRIP_ADDED = ("trip #{id} added", "đã thêm đợt đi cơ sở #{id}")

  tests/test_messages.py fails when a side is empty, untranslated or names other values.
* Success, on stdout:       tell(ctx, Msg.TRIP_ADDED, id=trip.id)        (doanfield.cli.common)
* Refuse (exit 1):          raise NotFound(Msg.UNKNOWN_CODE, what=Msg.CADRE, code=code)
  Any DoanfieldError (exit 1) or BadUsage (exit 2) takes a key and its values, or a
  Message; cli/main.py prints it once, as `doanfield: error: …` / `doanfield: lỗi: …`.
* An option's bad value:    raise bad_parameter(Msg.X, …)                 (doanfield.cli.common)
* Anything else for people (a warning, a progress label, a caption):  text(lang, Msg.X, …)
* A message made now and said later (a row problem, a nested part): Msg.X(values) or
  message(Msg.X, values) gives a Message; `.text(lang)` renders it, `str()` gives English.

Values are shown in the reader's language: a `date` as 19/02/2024 in Vietnamese (2024-02-19
in English); a `datetime` in the local time zone; a word of the vocabulary (a `TripKind`,
`Category`… or `Word("study")`) by its label; a column (`Heading("start", "trips")`) as
`start` in English and `Từ ngày` in Vietnamese; a `Msg` or `Message` inside another in the same
language; a list as its items joined by ", "; a bool as yes/no; anything else as `str()`.
Keep codes, file names and values the user typed as they are: they are data, not words.
"""

from __future__ import annotations

import errno
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

VI = "vi"


class Msg(Enum):
    """Message keys: (English, Vietnamese)."""

    # --------------------------------------------------------------- nouns used inside messages
    UNIT = ("unit", "đơn vị")
    CADRE = ("cadre", "cán bộ")
    PLAN = ("plan", "kế hoạch")
    TRIP = ("trip", "đợt đi cơ sở")
    ASSIGNMENT = ("assignment", "đợt tăng cường")
    ABSENCE = ("absence", "đợt vắng mặt")
    POLICY = ("policy", "quy định")
    # What the change log says was done.
    DID_ADD = ("add", "thêm")
    DID_EDIT = ("edit", "sửa")
    DID_REMOVE = ("remove", "xóa")
    DID_IMPORT = ("import", "nhập tệp")
    DID_REPORT = ("report", "ghi báo cáo")
    DID_CANCEL = ("cancel", "hủy")
    DID_SET = ("set", "đặt")
    DID_MOVE = ("move", "chuyển")
    DID_CLOSE = ("close", "giải thể")
    N_TRIPS = ("{n} trip(s)", "{n} đợt đi cơ sở")
    N_ASSIGNMENTS = ("{n} assignment(s)", "{n} đợt tăng cường")
    N_ABSENCES = ("{n} absence(s)", "{n} đợt vắng mặt")
    YES = ("yes", "có")
    NO = ("no", "không")
    NONE = ("none", "chưa có")
    EMPTY_VALUE = ("(empty)", "(trống)")

    # --------------------------------------------------------------- done (stdout)
    UNIT_ADDED = ("unit {code} added", "đã thêm đơn vị {code}")
    UNIT_UPDATED = ("unit {code} updated", "đã cập nhật đơn vị {code}")
    UNIT_UNCHANGED = ("unit {code} unchanged", "đơn vị {code} không có gì thay đổi")
    UNIT_CLOSED = (
        "unit {code} closed on {day} ({successors})",
        "đã giải thể đơn vị {code} ngày {day} ({successors})",
    )
    UNIT_CLOSED_MOVED = (
        "moved to {heir} from {day}: {moved}",
        "đã chuyển sang {heir} từ ngày {day}: {moved}",
    )
    UNIT_CLOSE_UNCHANGED = (
        "unit {code} was already closed on {day} with these successors",
        "đơn vị {code} đã được giải thể ngày {day} với các đơn vị kế tục này",
    )
    UNIT_MOVED = (
        "unit {code} is under {parent} from {day}",
        "đơn vị {code} trực thuộc {parent} từ ngày {day}",
    )
    UNIT_MOVE_REPLACED = (
        "unit {code}: its parent from {day} is now {parent}",
        "đơn vị {code}: từ ngày {day} trực thuộc {parent} (đã sửa)",
    )
    UNIT_MOVE_UNCHANGED = (
        "unit {code} is already under {parent} from {day}",
        "đơn vị {code} đã trực thuộc {parent} từ ngày {day}",
    )
    CADRE_MOVED = (
        "cadre {code} moved to {unit} from {day}",
        "đã chuyển cán bộ {code} sang {unit} từ ngày {day}",
    )
    CADRE_MOVE_REPLACED = (
        "cadre {code}: the posting from {day} is now at {unit}",
        "cán bộ {code}: đơn vị từ ngày {day} đã sửa thành {unit}",
    )
    CADRE_MOVE_UNCHANGED = (
        "cadre {code} is already posted to {unit} from {day}",
        "cán bộ {code} đã thuộc {unit} từ ngày {day}",
    )
    CADRE_ADDED = ("cadre {code} added", "đã thêm cán bộ {code}")
    CADRE_UPDATED = ("cadre {code} updated", "đã cập nhật cán bộ {code}")
    CADRE_UNCHANGED = ("cadre {code} unchanged", "cán bộ {code} không có gì thay đổi")
    CADRE_REMOVED = ("cadre {code} removed", "đã xóa cán bộ {code}")
    TRIP_ADDED = ("trip #{id} added", "đã thêm đợt đi cơ sở #{id}")
    TRIP_REMOVED = ("trip #{id} removed", "đã xóa đợt đi cơ sở #{id}")
    ASSIGNMENT_ADDED = (
        "assignment #{id} added ({start} to {end})",
        "đã thêm đợt tăng cường #{id} (từ {start} đến {end})",
    )
    ASSIGNMENT_REPORTED = (
        "report filed for assignment #{id}",
        "đã ghi nhận báo cáo của đợt tăng cường #{id}",
    )
    TRIP_REPORTED = (
        "report filed for trip #{id}",
        "đã ghi nhận báo cáo của đợt đi cơ sở #{id}",
    )
    ASSIGNMENT_CANCELLED = ("assignment #{id} cancelled", "đã hủy đợt tăng cường #{id}")
    PLAN_ADDED = ("plan {code} added", "đã thêm kế hoạch {code}")
    PLAN_UPDATED = ("plan {code} updated", "đã sửa kế hoạch {code}")
    PLAN_UNCHANGED = ("plan {code} unchanged", "kế hoạch {code} không có gì thay đổi")
    TRIP_UPDATED = ("trip #{id} updated", "đã sửa đợt đi cơ sở #{id}")
    TRIP_UNCHANGED = ("trip #{id} unchanged", "đợt đi cơ sở #{id} không có gì thay đổi")
    ASSIGNMENT_UPDATED = ("assignment #{id} updated", "đã sửa đợt tăng cường #{id}")
    ASSIGNMENT_UNCHANGED = (
        "assignment #{id} unchanged",
        "đợt tăng cường #{id} không có gì thay đổi",
    )
    ABSENCE_UPDATED = ("absence #{id} updated", "đã sửa đợt vắng mặt #{id}")
    ABSENCE_UNCHANGED = ("absence #{id} unchanged", "đợt vắng mặt #{id} không có gì thay đổi")
    ABSENCE_ADDED = ("absence #{id} added", "đã thêm đợt vắng mặt #{id}")
    ABSENCE_REMOVED = ("absence #{id} removed", "đã xóa đợt vắng mặt #{id}")
    POLICY_SET = (
        "policy {key} = {value} from {year}",
        "đã đặt quy định {key} = {value} từ năm {year}",
    )
    POLICY_SET_FOR_UNIT = (
        "policy {key} = {value} from {year} for {unit} and the units below it",
        "đã đặt quy định {key} = {value} từ năm {year} cho {unit} và các đơn vị cấp dưới",
    )
    BACKED_UP = ("backed up to {file}", "đã sao lưu vào {file}")
    FILE_WRITTEN = ("wrote {file}", "đã ghi {file}")
    SCHEMA_CURRENT = (
        "schema at {revision}, nothing to do",
        "cấu trúc dữ liệu đã ở bản {revision}, không cần nâng cấp",
    )
    SCHEMA_UPGRADED = (
        "schema {before} -> {after}",
        "đã nâng cấu trúc dữ liệu từ bản {before} lên bản {after}",
    )
    IMPORTED = (
        "{file}: {added} added, {updated} updated, {skipped} skipped as already recorded",
        "{file}: thêm mới {added}, cập nhật {updated}, bỏ qua {skipped} dòng đã có",
    )
    IMPORT_DRY_RUN = (
        "{file}: dry run: {added} would be added, {updated} updated, {skipped} skipped; "
        "nothing was written",
        "{file}: chạy thử: sẽ thêm mới {added}, cập nhật {updated}, bỏ qua {skipped}; "
        "chưa ghi gì vào sổ",
    )
    READING = ("reading {file}", "đang đọc {file}")

    # --------------------------------------------------------------- titles and captions
    LIST_UNITS = ("Units", "Danh sách đơn vị")
    LIST_CADRES = ("Cadres", "Danh sách cán bộ")
    LIST_PLANS = ("Plans", "Kế hoạch")
    LIST_TRIPS = ("Trips", "Đợt đi cơ sở")
    LIST_ASSIGNMENTS = ("Assignments", "Tăng cường, đào tạo thực tế")
    LIST_ABSENCES = ("Absences", "Vắng mặt")
    LIST_POSTINGS = ("Postings", "Quá trình công tác")
    LIST_PARENTS = ("Parents over time", "Đơn vị cấp trên qua các thời kỳ")
    LIST_UNIT_CADRES = ("Cadres posted on {day}", "Cán bộ thuộc đơn vị ngày {day}")
    SHEET_UNIT_LIFE = ("Life", "Thời gian tồn tại")
    SHEET_FORMED_FROM = ("Formed from", "Hình thành từ")
    SHEET_PREDECESSORS = ("All predecessors", "Mọi đơn vị tiền thân")
    SHEET_SUCCESSORS = ("Successors", "Đơn vị kế tục")
    SHEET_SUB_UNITS = ("Units under it on {day}", "Đơn vị trực thuộc ngày {day}")
    LIST_LOG = ("Change log", "Nhật ký thay đổi")
    POLICY_FOR = ("Policy for {year}", "Quy định áp dụng năm {year}")
    POLICY_FOR_UNIT = (
        "Policy for {year}: {unit}",
        "Quy định áp dụng năm {year} cho đơn vị {unit}",
    )
    DEFAULT_VALUE = ("default", "mặc định")
    # What each policy key sets (policy show); the keys stay as `policy set` takes them.
    ABOUT_FIELD_DAYS_PER_YEAR = (
        "field days a cadre owes in a year (1+2), pro-rated by the days in post",
        "số ngày đi cơ sở mỗi cán bộ phải đi trong năm (1+2), tính theo số ngày công tác",
    )
    ABOUT_WEEKLY_FIELD_DAYS = (
        "field days a week needs to be met (4+1)",
        "số ngày đi cơ sở mỗi tuần cần có để đạt (4+1)",
    )
    ABOUT_TRAINING_MONTHS = (
        "months a practical training at the grassroots must last",
        "số tháng tối thiểu của đợt đào tạo thực tế tại cơ sở",
    )
    ABOUT_ASSIGNMENT_COUNTS_AS_FIELD = (
        "the days of an assignment count as field days",
        "ngày tăng cường cơ sở được tính là ngày đi cơ sở",
    )
    ABOUT_TRAINING_CATEGORIES = (
        "the categories of cadre who must do the practical training",
        "các đối tượng cán bộ phải đào tạo thực tế",
    )
    ABOUT_EXEMPT_ABSENCE_REASONS = (
        "absences for these reasons are not days in post (nothing is owed for them)",
        "vắng mặt vì các lý do này không tính là ngày công tác (không phải đi cơ sở)",
    )
    ABOUT_MIN_DAYS_BY_HOST_LEVEL = (
        "the days a cadre must spend at host units of each level",
        "số ngày tối thiểu phải đi cơ sở tại đơn vị mỗi cấp",
    )
    ABOUT_TRIP_REPORT_DAYS = (
        "days after a trip's last day its report is due (0: not tracked)",
        "số ngày sau khi kết thúc đợt đi cơ sở phải nộp báo cáo (0: không theo dõi)",
    )
    ABOUT_MAX_TRIP_DAYS = (
        "the longest a trip may last; a longer stay is an assignment",
        "số ngày dài nhất của một đợt đi cơ sở; dài hơn là đợt tăng cường",
    )
    NOTHING_TO_SHOW = ("nothing to show", "không có dữ liệu")
    RECORD_COUNT = ("{n} record(s)", "{n} bản ghi")
    UNIT_LINE = ("Unit: {unit}", "Đơn vị: {unit}")
    ALL_UNITS = ("all units", "toàn bộ các đơn vị")
    PERIOD_LINE = ("Period: {start} to {end}", "Kỳ báo cáo: từ ngày {start} đến ngày {end}")
    AS_OF_LINE = ("As of {date}", "Tính đến ngày {date}")
    DAYS_AT_LEVEL = ("Days at {level} level", "Số ngày ở cấp {level}")
    AS_OF = ("as of {date}", "tính đến {date}")
    TOTAL = ("Total", "Tổng cộng")
    N_CADRES = ("{n} cadre(s)", "{n} cán bộ")
    N_OF = ("{n} of {total}", "{n}/{total}")
    COMPLIANCE_TITLE = ("Compliance {year}", "Kết quả thực hiện năm {year}")
    SHORT_BY = ("short by {n} days", "thiếu {n} ngày")
    SHORT_BY_ONE = ("short by 1 day", "thiếu 1 ngày")
    TRIP_REPORTS_OVERDUE = ("{n} trip report(s) overdue", "{n} báo cáo đi cơ sở quá hạn")
    REPORT_OVERDUE = ("overdue", "quá hạn")
    REPORT_LATE = ("late", "nộp muộn")
    OVERDUE_TITLE = (
        "Reports overdue or filed late, {year}",
        "Báo cáo sau đợt đi cơ sở, tăng cường quá hạn hoặc nộp muộn năm {year}",
    )
    NO_REPORTS_LATE = (
        "No report is overdue or was filed late.",
        "Không có báo cáo nào quá hạn hay nộp muộn.",
    )
    REPORTS_NOT_TRACKED = (
        "Reports are not tracked: trip_report_days is 0 (e.g. policy set trip_report_days 10).",
        "Chưa theo dõi hạn nộp báo cáo: trip_report_days bằng 0 "
        "(ví dụ policy set trip_report_days 10).",
    )
    SHORT_AT_LEVEL = ("{n} day(s) short at {level} level", "thiếu {n} ngày ở cấp {level}")
    REPORT_NOT_FILED = ("report not filed", "chưa nộp báo cáo")
    TRAINING_DONE_OF = ("{done} of {required} done", "đã đào tạo {done}/{required}")
    COMPLIANCE_CAPTION = (
        "Cadres: {cadres} · meeting 1+2: {ok} · training done: {done} of {required}",
        "Cán bộ: {cadres} · đạt 1+2: {ok} · đã đào tạo thực tế: {done}/{required}",
    )
    SUMMARY_TITLE = ("The year {year} in figures", "Năm {year} qua các con số")
    SUMMARY_SENTENCE = (
        "In {year}, {cadres} cadres had {days} field days and {thematic} thematic trips.",
        "Năm {year}, {cadres} cán bộ đi cơ sở {days} ngày, {thematic} đợt theo chuyên đề.",
    )
    CADRES_IN_FIELD = ("cadres in the field", "cán bộ đi cơ sở")
    FIELD_DAYS = ("field days", "ngày đi cơ sở")
    TRIPS_STARTED = ("trips starting in the year", "đợt đi cơ sở bắt đầu trong năm")
    ASSIGNMENTS_STARTED = ("assignments started", "đợt tăng cường bắt đầu")
    ASSIGNMENTS_COMPLETED = ("assignments completed", "đợt tăng cường kết thúc")
    TRIPS_BY_KIND = ("Trips by kind", "Số đợt theo hình thức")
    TRIPS_BY_PROGRAM = ("Trips by program", "Số đợt theo chương trình")
    DAYS_BY_UNIT = ("Field days by host unit", "Ngày đi cơ sở theo đơn vị")
    NO_HOST_UNIT = ("no host unit given", "không ghi đơn vị")
    DAYS_BY_UNIT_NOTE = (
        "Each cadre's day counts once for each host unit: a day at two units at once (a trip "
        "during an assignment elsewhere) counts for both, so the units' {total} days exceed "
        "the year's {days} field days.",
        "Mỗi ngày của một cán bộ được tính một lần cho mỗi đơn vị: một ngày ở hai đơn vị cùng lúc "
        "(đi cơ sở trong thời gian tăng cường ở đơn vị khác) được tính cho cả hai, nên tổng "
        "{total} ngày theo đơn vị nhiều hơn {days} ngày đi cơ sở của năm.",
    )
    SHEET_FIGURES = ("Figures", "Tổng hợp")
    WEEKLY_TITLE = (
        "4 days at the office, 1 at the grassroots — {year}",
        "4 ngày ở cơ quan, 1 ngày ở cơ sở — {year}",
    )
    CALENDAR_TITLE = ("Field days in {year}, day by day", "Lịch đi cơ sở năm {year}")
    SHEET_CALENDAR = ("Calendar", "Lịch năm")
    SHEET_WEEKS = ("Weeks 4+1", "Tuần 4+1")
    MISSED_WEEKS_TITLE = ("Weeks missed", "Những tuần chưa đạt")
    WEEK_LABEL = ("week {n} ({start}–{end})", "tuần {n} ({start}–{end})")
    WEEKS_LABEL = ("weeks {n} ({start}–{end})", "tuần {n} ({start}–{end})")
    PAGE_FOOTER = ("Page &P of &N", "Trang &P/&N")
    CALENDAR_LEGEND = (
        "x field day · v away (absence) · - not in post · grey: Saturday, Sunday",
        "x ngày đi cơ sở · v vắng mặt · - chưa/không giữ chức vụ · ô xám: thứ Bảy, Chủ nhật",
    )
    CALENDAR_CADRE = (
        "{code} · {name} · {days} field day(s)",
        "{code} · {name} · {days} ngày đi cơ sở",
    )
    PLAN_TITLE = ("Plan {plan} ({year})", "Kế hoạch {plan} (năm {year})")
    SHEET_QUOTAS = ("Quotas", "Chỉ tiêu")
    AGE_VIOLATIONS = ("Age violations", "Vượt quá độ tuổi")
    NO_VIOLATIONS = ("no violations", "không có trường hợp vượt tuổi")
    TOTALS_BY_YEAR = ("Totals by year", "Tổng hợp theo năm")
    SHEET_CADRE = ("Cadre", "Cán bộ")
    LATEST_TRIPS = (
        "the latest {n} of {total} trips; all: doanfield trip list --cadre {code}",
        "{n} đợt gần nhất trong {total} đợt; xem tất cả: doanfield trip list --cadre {code}",
    )

    CADRES_SHORT = (
        "{n} of {total} cadre(s) are short of their required field days",
        "{n}/{total} cán bộ chưa đủ số ngày đi cơ sở phải đi",
    )

    # --------------------------------------------------------------- the ledger refuses (exit 1)
    UNKNOWN_CODE = ("unknown {what} '{code}'{hint}", "không có {what} nào mã '{code}'{hint}")
    DID_YOU_MEAN = (" (did you mean {code}?)", " (có phải {code} không?)")
    UNKNOWN_ID = ("unknown {what} #{id}", "không có {what} #{id}")
    ALREADY_EXISTS = ("{what} '{code}' already exists", "đã có {what} mã '{code}'")
    ALREADY_RECORDED = (
        "a record with the same {column} is already in {table} (another desk may have just "
        "added it); nothing was changed",
        "đã có một bản ghi cùng {column} trong {table} (có thể một máy khác vừa thêm); "
        "chưa thay đổi gì",
    )
    MOVE_OUTSIDE_POST = (
        "{cadre} cannot move on {day}: a move must come after the first day in post and no "
        "later than the last ({post}); to correct a posting use cadre edit",
        "không thể chuyển {cadre} từ {day}: ngày chuyển phải sau ngày đầu và không quá ngày "
        "cuối giữ chức vụ ({post}); muốn sửa đơn vị hiện tại, dùng cadre edit",
    )
    MOVE_CHANGES_NOTHING = (
        "{cadre} is already at {unit} with that category and position on {day}: nothing to move",
        "{cadre} đã thuộc {unit} với đối tượng và chức vụ đó vào ngày {day}: không có gì để chuyển",
    )
    UNIT_MOVE_OUTSIDE_LIFE = (
        "unit {code} does not exist on {day} (it exists {life})",
        "đơn vị {code} không tồn tại vào ngày {day} (đơn vị tồn tại {life})",
    )
    UNIT_ALREADY_UNDER = (
        "unit {code} is already under {parent} on {day}",
        "đơn vị {code} đã trực thuộc {parent} vào ngày {day}",
    )
    UNIT_ALREADY_CLOSED = (
        "unit {code} is already closed: its last day is {last} ({successors})",
        "đơn vị {code} đã giải thể: ngày cuối là {last} ({successors})",
    )
    UNIT_CLOSE_BEFORE_FIRST = (
        "unit {code} cannot close on {day}: it exists only from {first}",
        "không thể giải thể đơn vị {code} ngày {day}: đơn vị chỉ tồn tại từ {first}",
    )
    UNIT_OWN_SUCCESSOR = (
        "unit {code} cannot be its own successor",
        "đơn vị {code} không thể là đơn vị kế tục của chính nó",
    )
    UNIT_CLOSE_LEFT = (
        "unit {code} cannot close on {day}: still named after it by {left}{more}; {hint}",
        "không thể giải thể đơn vị {code} ngày {day}: sau ngày đó vẫn còn {left}{more}; {hint}",
    )
    UNIT_CLOSE_HINT = (
        "with several successors or none, move or close them first",
        "khi có nhiều hoặc không có đơn vị kế tục, hãy chuyển hoặc giải thể chúng trước",
    )
    UNIT_CLOSE_HOSTED = (
        "correct the trips and assignments hosted by it after its last day first",
        "hãy sửa các đợt đi cơ sở và tăng cường tại đơn vị này sau ngày giải thể trước",
    )
    AND_MORE = (" and {n} more", " và {n} mục khác")
    LEFT_CADRE = ("cadre {code}", "cán bộ {code}")
    LEFT_UNIT = ("unit {code}", "đơn vị {code}")
    ON_OR_ALL = ("give --on DATE or --all, not both", "chỉ dùng một trong --on NGÀY hoặc --all")
    STRIP_LEGEND = (
        "week strip: █ a week met, · a week missed, blank: not in post",
        "dải tuần: █ tuần đạt, · tuần chưa đạt, để trống: không giữ chức vụ",
    )
    OPTIONS_EXCLUDE = (
        "give {first} or {second}, not both",
        "chỉ dùng một trong {first} hoặc {second}",
    )
    UNIT_NOT_IN_PERIOD = (
        "unit '{code}' existed on no day of {first} to {last} and was formed from no unit "
        "that did (it exists {life}; {successors})",
        "đơn vị '{code}' không tồn tại ngày nào trong khoảng {first} đến {last} và không được "
        "hình thành từ đơn vị nào tồn tại trong khoảng đó (đơn vị tồn tại {life}; {successors})",
    )
    UNIT_UNDER_ITSELF = (
        "unit '{code}' cannot be placed under its own sub-unit",
        "không thể đặt đơn vị '{code}' dưới một đơn vị cấp dưới của chính nó",
    )
    CADRE_HAS_RECORDS = (
        "cadre '{code}' has {held} on record; remove those first, "
        "or set --active-to to end the post",
        "cán bộ '{code}' còn {held} trong sổ; hãy xóa chúng trước, "
        "hoặc đặt --active-to để kết thúc chức vụ",
    )
    REPORT_EMPTY = (
        "the report for {what} #{id} is empty",
        "báo cáo của {what} #{id} chưa có nội dung",
    )
    REPORT_BEFORE_START = (
        "report date {date} is before {what} #{id} started ({start})",
        "ngày báo cáo {date} trước ngày bắt đầu {what} #{id} ({start})",
    )
    ALREADY_CANCELLED = (
        "assignment #{id} is already cancelled",
        "đợt tăng cường #{id} đã bị hủy từ trước",
    )
    PLAN_NEEDS_QUOTA = (
        "plan '{code}' needs at least one --quota LEVEL=COUNT",
        "kế hoạch '{code}' cần ít nhất một chỉ tiêu --quota CẤP=SỐ",
    )
    PLAN_LEVEL_TWICE = (
        "plan '{code}' names a level twice in its quotas",
        "kế hoạch '{code}' ghi một cấp hai lần trong các chỉ tiêu",
    )
    POLICY_UNKNOWN_KEY = (
        "unknown policy key '{key}' (known: {known})",
        "không có quy định '{key}' (các quy định: {known})",
    )
    POLICY_NOT_BOOL = (
        "policy {key} takes true or false, not '{value}'",
        "quy định {key} nhận true (có) hoặc false (không), không nhận '{value}'",
    )
    POLICY_UNKNOWN_CATEGORY = (
        "unknown category '{value}' in {key} (known: {known})",
        "không có đối tượng '{value}' trong {key} (các đối tượng: {known})",
    )
    POLICY_NOT_NUMBER = (
        "policy {key} takes a whole number, not '{value}'",
        "quy định {key} nhận một số nguyên, không nhận '{value}'",
    )
    POLICY_NOT_LEVEL_DAYS = (
        "policy {key} takes LEVEL=DAYS pairs separated by commas "
        "(e.g. branch=30,commune=20), not '{value}'",
        "quy định {key} nhận các cặp CẤP=SỐ NGÀY cách nhau bởi dấu phẩy "
        "(ví dụ chi đoàn=30,xã=20), không nhận '{value}'",
    )
    POLICY_LEVEL_TWICE = (
        "policy {key} names level {level} twice",
        "quy định {key} ghi cấp {level} hai lần",
    )
    POLICY_NOT_PER_UNIT = (
        "policy {key} is the same for the whole ledger; it cannot be set for a unit",
        "quy định {key} áp dụng chung cho cả sổ, không đặt riêng cho một đơn vị được",
    )
    POLICY_OUT_OF_RANGE = (
        "policy {key} must be between {low} and {high}, not {value}",
        "quy định {key} phải từ {low} đến {high}, không nhận {value}",
    )
    AS_OF_OUTSIDE_YEAR = (
        "--as-of {date} is not in the year reported, {year}",
        "--as-of {date} không thuộc năm báo cáo {year}",
    )
    YEAR_NOT_BEGUN = (
        "{year} has not begun yet (today is {today}); there is nothing to report",
        "năm {year} chưa bắt đầu (hôm nay là {today}); chưa có gì để báo cáo",
    )
    LEDGER_PROBLEMS = ("{count} problem(s) in the ledger:", "{count} vấn đề trong sổ:")
    CHECK_MORE = ("… and {count} more", "… và {count} vấn đề khác")
    PLAN_LEVEL_SAME = (
        "'{first}' and '{second}' are the same level, {level}",
        "'{first}' và '{second}' là cùng một cấp: {level}",
    )
    PLAN_NO_QUOTA_TO_DROP = (
        "the plan has no quota for level '{level}' to drop",
        "kế hoạch không có chỉ tiêu cấp '{level}' để bỏ",
    )
    PLAN_NO_QUOTA = ("level '{level}' has no quota", "cấp '{level}' chưa có chỉ tiêu")
    PLAN_DROPS_EVERY_QUOTA = (
        "plan '{code}' needs at least one quota; it cannot drop them all",
        "kế hoạch '{code}' cần ít nhất một chỉ tiêu; không thể bỏ hết",
    )
    REPORT_BEFORE_NEW_START = (
        "{what} #{id} would start after its report's date ({date})",
        "{what} #{id} sẽ bắt đầu sau ngày báo cáo của nó ({date})",
    )

    # --------------------------------------------------------------- contradictions (checks.py)
    CLASH_DUPLICATE_TRIP = (
        "{record} {span} repeats {other} (same cadre {cadre}, dates, kind {kind}, place '{place}')",
        "{record} {span} trùng với {other} đã có (cùng cán bộ {cadre}, ngày, hình thức {kind}, "
        "địa điểm '{place}')",
    )
    CLASH_OUTSIDE_POST = (
        "{record} {span} is outside {cadre}'s post ({post})",
        "{record} {span} nằm ngoài thời gian giữ chức vụ của {cadre} ({post})",
    )
    CLASH_TRIP_ON_ABSENCE = (
        "{record} {span} falls on {other} of {cadre} ({other_span}, {reason})",
        "{record} {span} trùng thời gian {other} của {cadre} ({other_span}, {reason})",
    )
    CLASH_ABSENCE_OVER_TRIP = (
        "{record} {span} covers {other} of {cadre} ({other_span}); move or remove the trip first",
        "{record} {span} trùng {other} của {cadre} ({other_span}); "
        "hãy sửa hoặc xóa đợt đi cơ sở đó trước",
    )
    CLASH_OVERLAPPING_ASSIGNMENT = (
        "{record} {span} overlaps {other} of {cadre} ({other_span}, host {host})",
        "{record} {span} trùng thời gian với {other} của {cadre} ({other_span}, tại {host})",
    )
    CLASH_OVERLAPPING_ABSENCE = (
        "{record} {span} overlaps {other} of {cadre} ({other_span}, {reason})",
        "{record} {span} trùng thời gian với {other} của {cadre} ({other_span}, {reason})",
    )
    CLASH_TRIP_TOO_LONG = (
        "{record} {span} lasts {days} days, more than max_trip_days ({limit}); "
        "a stay that long is an assignment",
        "{record} {span} kéo dài {days} ngày, quá {limit} ngày của một chuyến đi (max_trip_days); "
        "ở cơ sở dài như vậy là một đợt tăng cường",
    )
    CLASH_HOST_NOT_ALIVE = (
        "{record} {span} of {cadre} is hosted by a unit that does not exist then: {alive}",
        "{record} {span} của {cadre} tại đơn vị không tồn tại vào thời gian đó: {alive}",
    )
    CLASH_POSTING_NOT_ALIVE = (
        "{cadre} would be posted to {unit} {span}, when it does not exist: {alive}",
        "{cadre} sẽ thuộc đơn vị {unit} {span}, khi đơn vị này không tồn tại: {alive}",
    )
    CLASH_PARENT_NOT_ALIVE = (
        "unit {child} would be under {unit} {span}, when it does not exist: {alive}",
        "đơn vị {child} sẽ trực thuộc {unit} {span}, khi đơn vị này không tồn tại: {alive}",
    )
    CLASH_SUCCESSOR_NOT_ALIVE = (
        "successor {code} of unit {unit} does not exist on {day}, the day after its last "
        "(it exists {life})",
        "đơn vị kế tục {code} của {unit} không tồn tại vào ngày {day}, ngày sau ngày giải thể "
        "(đơn vị tồn tại {life})",
    )
    UNIT_FIRST_DAY = ("{unit} exists only from {first}", "{unit} chỉ tồn tại từ {first}")
    UNIT_LAST_DAY = (
        "the last day of {unit} is {last} ({successors})",
        "ngày cuối của {unit} là {last} ({successors})",
    )
    ALWAYS_POSTED = ("at all times", "mọi lúc")
    CLASH_BIRTH_IN_FUTURE = (
        "birth date {birth} of {cadre} is in the future (today is {today})",
        "ngày sinh {birth} của {cadre} ở tương lai (hôm nay là {today})",
    )
    CLASH_UNKNOWN_LEVEL = (
        "{problem}; to add a new level, give --new-level (unit add, import units)",
        "{problem}; muốn thêm cấp mới, dùng --new-level (unit add, import units)",
    )
    RECORD_ID = ("{what} #{id}", "{what} #{id}")
    RECORD_CODE = ("{what} '{code}'", "{what} '{code}'")
    RECORD_LINE = ("{what} (line {line})", "{what} (dòng {line})")
    ON_DAY = ("on {day}", "ngày {day}")
    DAY_TO_DAY = ("{start} to {end}", "{start} đến {end}")
    FROM_DAY = ("from {day}", "từ {day}")
    UNTIL_DAY = ("until {day}", "đến {day}")
    NO_REASON = ("no reason given", "không ghi lý do")
    ALWAYS = ("with no first or last day", "không có ngày thành lập hay giải thể")
    SUCCESSORS = ("successors: {codes}", "đơn vị kế tục: {codes}")
    NO_SUCCESSORS = ("no successors", "không có đơn vị kế tục")

    # --------------------------------------------------------------- the vocabulary's words
    UNKNOWN_WORD = (
        "unknown {what} '{value}'{hint}; use one of: {known}",
        "{what} '{value}' không có trong danh mục{hint}; dùng một trong: {known}",
    )
    WORD_WRONG_MARKS = (
        "{what} '{value}' is '{meant}' with other diacritics; write '{meant}' (a wrong tone "
        "names another word)",
        "{what} '{value}' là '{meant}' nhưng sai dấu; hãy ghi '{meant}' (sai dấu là một từ khác)",
    )
    WORD_KIND = ("kind", "hình thức")
    WORD_CATEGORY = ("category", "đối tượng")
    WORD_LEVEL = ("level", "cấp")
    WORD_REASON = ("absence reason", "lý do vắng mặt")
    WORD_STATUS = ("status", "trạng thái")
    WORD_TRAINING_STATUS = ("training status", "trạng thái đào tạo")

    # --------------------------------------------------------------- values
    DATE_PROBLEM = ("date '{text}' {problem}", "ngày '{text}' {problem}")
    DATE_BAD_FORM = (
        "is not of the form 19/02/2024 or 2024-02-19",
        "không đúng dạng 19/02/2024 hay 2024-02-19",
    )
    DATE_DOES_NOT_EXIST = ("does not exist", "không có thật")
    DATE_OUT_OF_RANGE = (
        "is outside the days doanfield counts ({first} to {last})",
        "nằm ngoài khoảng ngày doanfield tính được (từ {first} đến {last})",
    )
    DAY_OUT_OF_RANGE = (
        "{record}: {field} {day} is outside the days doanfield counts ({first} to {last}); "
        "reports count it as {counted}: correct it",
        "{record}: {field} {day} nằm ngoài khoảng ngày doanfield tính được (từ {first} đến "
        "{last}); báo cáo tính là ngày {counted}: hãy sửa lại",
    )
    FIELD_PROBLEM = ("{field}: {problem}{value}", "{field}: {problem}{value}")
    IN_PARENS = (" ({value})", " ({value})")
    END_BEFORE_START = (
        "end {end} is before start {start}",
        "ngày kết thúc {end} trước ngày bắt đầu {start}",
    )
    IS_EMPTY = ("is empty", "bị bỏ trống")
    TOO_LONG = ("longer than {limit} characters", "dài quá {limit} ký tự")
    AT_LEAST = ("must be at least {low}", "phải từ {low} trở lên")
    AT_MOST = ("must be at most {high}", "không được quá {high}")
    NOT_WHOLE_NUMBER = (
        "is not a whole number from {low} to {high}",
        "không phải số nguyên từ {low} đến {high}",
    )
    NOT_ONE_OF = ("is not one of {known}", "không phải một trong các giá trị: {known}")
    NOT_ONE_OF_MEANT = (
        "is not one of {known} (did you mean {meant}?)",
        "không phải một trong các giá trị: {known} (có phải {meant} không?)",
    )

    # --------------------------------------------------------------- import: rows
    ROW_PROBLEM = ("{where}: {column}: {problem}{value}", "{where}: {column}: {problem}{value}")
    ROW_REPEATS_LINE = (
        "repeats line {line} with other values",
        "trùng mã với dòng {line} nhưng khác nội dung",
    )
    ROW_UNKNOWN = ("unknown {what}", "không có {what} này")
    ROW_SUCCESSORS_NEED_LAST_DAY = (
        "a unit with successors needs its last day (active_to)",
        "đơn vị có đơn vị kế tục phải có ngày giải thể (active_to)",
    )
    ROW_RECORDED_OTHERWISE = (
        "already recorded with other values; use --update",
        "đã có trong sổ với nội dung khác; dùng --update để cập nhật",
    )
    ROW_MOVE_DISAGREES = (
        "line {line} moves this cadre on the same day otherwise",
        "dòng {line} ghi cán bộ này chuyển khác đi trong cùng ngày",
    )
    ROW_YEAR_DIFFERS = (
        "differs from line {line} of the same plan",
        "khác với dòng {line} của cùng kế hoạch",
    )
    ROW_LEVEL_TWICE = ("is listed twice for this plan", "được ghi hai lần trong kế hoạch này")
    ROW_PLAN_OTHER_QUOTAS = (
        "already recorded with other quotas",
        "đã có trong sổ với chỉ tiêu khác",
    )
    ROW_BEFORE_START = ("is before start {start}", "trước ngày bắt đầu {start}")
    ROW_STATUS = (
        "is not planned, active, completed or cancelled",
        "không phải kế hoạch, đang thực hiện, đã hoàn thành hay đã hủy",
    )
    ROW_REPORT_NEEDS_BOTH = (
        "is empty; a report needs both its date and its text",
        "bị bỏ trống; báo cáo cần có cả ngày và nội dung",
    )
    ROW_KEYS_EMPTY = (
        "{problem} (if this row is the signature block under the table, leave a blank row "
        "above it)",
        "{problem} (nếu dòng này là phần ký tên dưới bảng, hãy để một dòng trống phía trên nó)",
    )
    ROW_BEYOND_HEADER = ("a cell beyond the header", "có ô nằm ngoài các cột của dòng tiêu đề")
    COLUMN_N = ("column {n}", "cột {n}")
    ROW_SHORT = (
        "the row has {cells} cell(s) but the header {columns} columns",
        "dòng chỉ có {cells} ô trong khi dòng tiêu đề có {columns} cột",
    )
    ROW_UNNAMED_COLUMN = (
        "a cell in a column without a heading",
        "có ô nằm trong một cột không có tiêu đề",
    )
    NAME_MISMATCH = (
        "cadre {code} is '{stored}' in the ledger, not '{written}'; is the code right?",
        "cán bộ mã {code} trong sổ là '{stored}', không phải '{written}'; mã có đúng không?",
    )
    MONTHS_DISAGREE = (
        "{months} months from the start end on {counted}, not on {end}",
        "{months} tháng kể từ ngày bắt đầu kết thúc ngày {counted}, không phải ngày {end}",
    )
    EXCEL_SERIAL_DATE = (
        "looks like an Excel serial date ({date}); format the column as Date",
        "có vẻ là số ngày kiểu Excel ({date}); hãy định dạng cột là Ngày (Date)",
    )
    UNITS_LOOP = (
        "the units would form a loop: {problem}",
        "các đơn vị sẽ tạo thành một vòng lặp: {problem}",
    )
    IMPORT_FAILED = (
        "{file}: {count} bad row(s); nothing was imported",
        "{file}: {count} dòng lỗi; chưa nhập dòng nào",
    )
    IMPORT_MORE = ("… and {count} more bad rows", "… và {count} dòng lỗi khác")

    # --------------------------------------------------------------- import: files
    FILE_CANNOT_OPEN = ("cannot open '{path}': {reason}", "không mở được '{path}': {reason}")
    FILE_NOT_TEXT = (
        "{file}: cannot read the file: it is not UTF-8, UTF-16 or Windows-1258 text",
        "{file}: không đọc được tệp: tệp không phải văn bản UTF-8, UTF-16 hay Windows-1258",
    )
    FILE_NOT_THROUGHOUT = (
        "{file}: the file is not {encoding} throughout (undecodable byte near line {line}); "
        "save it again as CSV UTF-8",
        "{file}: tệp không phải {encoding} từ đầu đến cuối (có byte không đọc được gần dòng "
        "{line}); hãy lưu lại dưới dạng CSV UTF-8",
    )
    FILE_CSV_BROKEN = ("{where}: {problem}", "{where}: tệp CSV bị hỏng ở đây ({problem})")
    FILE_QUOTE_NOT_CLOSED = (
        '{where}: a quote (") opened on this line is never closed; close it or remove it',
        '{where}: dấu ngoặc kép (") mở ở dòng này không được đóng; hãy đóng hoặc xoá nó',
    )
    FILE_LEGACY = (
        "{file}: the text contains '{char}' (U+{code}), which no Vietnamese Unicode file has; "
        "it looks like a legacy font encoding (TCVN3/VNI) - convert it to Unicode "
        "(e.g. with Unikey's converter) and save as CSV UTF-8",
        "{file}: văn bản có ký tự '{char}' (U+{code}), không có trong tiếng Việt Unicode; "
        "tệp có vẻ dùng bảng mã cũ (TCVN3/VNI) - hãy chuyển sang Unicode (ví dụ bằng công cụ "
        "chuyển mã của Unikey) rồi lưu dưới dạng CSV UTF-8",
    )
    FILE_HEADER_NOT_TEXT = (
        "{file}:1: the header is not {encoding} text",
        "{file}:1: dòng tiêu đề không phải văn bản {encoding}",
    )
    FILE_EMPTY = (
        "{file}: the file is empty or its first line is blank",
        "{file}: tệp trống hoặc dòng đầu tiên để trống",
    )
    HEADER_UNKNOWN = (
        "{where}: {column}: unknown column '{title}'{hint} (expected: {expected})",
        "{where}: {column}: không biết cột '{title}'{hint} (các cột nhận: {expected})",
    )
    HEADER_REPEATS = (
        "{where}: {column}: '{title}' repeats column {other}",
        "{where}: {column}: '{title}' trùng với cột {other}",
    )
    EITHER = ("{first} or {second}", "{first} hoặc {second}")
    HEADER_TOO_WIDE = (
        "{where}: the header has {count} columns; a sheet has at most {limit} (Excel's own "
        "limit): this is no list of records",
        "{where}: dòng tiêu đề có {count} cột; một trang tính có tối đa {limit} cột (giới hạn "
        "của Excel): đây không phải danh sách bản ghi",
    )
    HEADER_MORE = (
        "… and {count} more problems in the header",
        "… và {count} lỗi khác ở dòng tiêu đề",
    )
    HEADER_MISSING = ("{where}: missing column(s): {columns}", "{where}: thiếu cột: {columns}")
    SHEET_NOT_WORKBOOK = (
        "{file}: --sheet is for Excel workbooks (.xlsx)",
        "{file}: --sheet chỉ dùng cho bảng tính Excel (.xlsx)",
    )
    NO_SUCH_SHEET = (
        "{file}: no sheet '{sheet}' (sheets: {sheets})",
        "{file}: không có trang tính '{sheet}' (các trang: {sheets})",
    )
    WORKBOOK_UNREADABLE = (
        "{file}: cannot read the workbook ({problem})",
        "{file}: không đọc được bảng tính ({problem})",
    )
    JSON_UNREADABLE = (
        "{file}: not valid JSON ({problem})",
        "{file}: không phải JSON hợp lệ ({problem})",
    )
    JSON_NOT_RECORDS = (
        "{file}: expected a JSON array of records (objects), as export --format json writes",
        "{file}: cần một mảng JSON các bản ghi (đối tượng), như export --format json ghi ra",
    )
    NO_SUCH_FILE = ("no file '{path}'", "không có tệp '{path}'")
    NOT_A_FILE = ("'{path}' is not a file", "'{path}' không phải là một tệp")

    # --------------------------------------------------------------- import: another ledger (§6)
    LEDGER = ("ledger", "sổ")
    LEDGER_IMPORTED = (
        "{file}: added {units} unit(s), {cadres} cadre(s), {plans} plan(s), {trips} trip(s), "
        "{assignments} assignment(s), {absences} absence(s); {skipped} skipped as already "
        "recorded",
        "{file}: đã thêm {units} đơn vị, {cadres} cán bộ, {plans} kế hoạch, {trips} đợt đi cơ "
        "sở, {assignments} đợt tăng cường, {absences} đợt vắng mặt; bỏ qua {skipped} bản ghi "
        "đã có",
    )
    LEDGER_IMPORT_DRY_RUN = (
        "{file}: dry run: would add {units} unit(s), {cadres} cadre(s), {plans} plan(s), "
        "{trips} trip(s), {assignments} assignment(s), {absences} absence(s); {skipped} "
        "skipped as already recorded; nothing was written",
        "{file}: chạy thử: sẽ thêm {units} đơn vị, {cadres} cán bộ, {plans} kế hoạch, {trips} "
        "đợt đi cơ sở, {assignments} đợt tăng cường, {absences} đợt vắng mặt; bỏ qua {skipped} "
        "bản ghi đã có; chưa ghi gì vào sổ",
    )
    LEDGER_POLICY_NOT_COPIED = (
        "{file} has policy values of its own; they were not copied (set those that should "
        "apply here with policy set):",
        "{file} có các quy định riêng; chúng không được chép sang (quy định nào cần áp dụng ở "
        "đây, hãy đặt bằng policy set):",
    )
    LEDGER_POLICY_LINE = (
        "  {key} = {value} from {year}{extra}",
        "  {key} = {value} từ năm {year}{extra}",
    )
    LEDGER_POLICY_UNIT = (
        " for {unit} and the units below it",
        " cho {unit} và các đơn vị cấp dưới",
    )
    LEDGER_IMPORT_REFUSED = (
        "{file}: {count} problem(s); nothing was imported{hint}",
        "{file}: {count} vấn đề; chưa nhập gì{hint}",
    )
    LEDGER_PREFIX_HINT = (
        " (to keep both ledgers' records apart, give --prefix, e.g. --prefix BD-)",
        " (muốn giữ riêng bản ghi của hai sổ, hãy dùng --prefix, ví dụ --prefix BD-)",
    )
    LEDGER_CODE_DIFFERS = (
        "{what} '{code}' is in both ledgers, but its '{field}' differs: {here} here, {there} "
        "in {file}",
        "{what} mã '{code}' có trong cả hai sổ nhưng khác ở '{field}': ở đây là {here}, trong "
        "{file} là {there}",
    )
    LEDGER_CODE_DIFFERS_IN = (
        "{what} '{code}' is in both ledgers, but its '{field}' differ in {file}",
        "{what} mã '{code}' có trong cả hai sổ nhưng '{field}' trong {file} khác",
    )
    LEDGER_CODE_TOO_LONG = (
        "{what} code '{code}' would be longer than 64 characters",
        "mã {what} '{code}' sẽ dài quá 64 ký tự",
    )
    LEDGER_DAMAGED = (
        "'{path}' is damaged ({problem}); nothing was imported",
        "'{path}' bị hỏng ({problem}); chưa nhập gì",
    )
    LEDGER_IS_THIS_ONE = (
        "'{path}' is this ledger itself",
        "'{path}' chính là sổ đang dùng",
    )
    PREFIX_NOT_A_CODE = (
        "'{value}' cannot start a code: give letters, digits or - _ . / without spaces",
        "'{value}' không dùng làm đầu mã được: hãy dùng chữ, số hoặc - _ . / và không có dấu cách",
    )
    OPTION_NOT_FOR_KIND = (
        "{option} does not apply to import {kind}",
        "{option} không dùng cho import {kind}",
    )

    # --------------------------------------------------------------- the ledger file or database
    LEDGER_UNREADABLE = (
        "cannot read ledger '{path}': {reason}",
        "không đọc được sổ '{path}': {reason}",
    )
    LEDGER_NOT_SQLITE = (
        "'{path}' is not a SQLite database, so not a doanfield ledger",
        "'{path}' không phải cơ sở dữ liệu SQLite, nên không phải sổ doanfield",
    )
    LEDGER_OTHER_SQLITE = (
        "'{path}' is a SQLite database but not a doanfield ledger; it was left untouched",
        "'{path}' là cơ sở dữ liệu SQLite nhưng không phải sổ doanfield; tệp được giữ nguyên",
    )
    DATABASE_NOT_LEDGER = (
        "'{url}' holds tables but is not a doanfield ledger; it was left untouched",
        "'{url}' đã có bảng dữ liệu nhưng không phải sổ doanfield; cơ sở dữ liệu được giữ nguyên",
    )
    MIGRATION_BROKE_REFERENCE = (
        "upgrading the ledger would leave records of table '{table}' pointing at nothing; "
        "nothing was changed",
        "nâng cấp sổ sẽ để lại bản ghi của bảng '{table}' trỏ tới bản ghi không còn; "
        "sổ không bị thay đổi",
    )
    LEDGER_NEWER = (
        "the ledger was written by a newer doanfield (schema {revision}); "
        "upgrade doanfield to open it",
        "sổ được ghi bởi doanfield mới hơn (cấu trúc bản {revision}); hãy nâng cấp doanfield để mở",
    )
    LEDGER_NOT_A_FILE = (
        "'{path}' is {kind}, not a ledger file; --db takes a ledger's file or a database URL",
        "'{path}' là {kind}, không phải tệp sổ; --db nhận tệp sổ hoặc địa chỉ cơ sở dữ liệu",
    )
    LEDGER_COMPANION = (
        "'{path}' is SQLite's own file of the database '{owner}', not a ledger: doanfield "
        "neither opens nor writes it",
        "'{path}' là tệp riêng của SQLite cho cơ sở dữ liệu '{owner}', không phải sổ: doanfield "
        "không mở cũng không ghi vào nó",
    )
    LEDGER_READ_ONLY = (
        "the ledger '{path}' is read-only (its file or its folder cannot be written); "
        "nothing was changed",
        "sổ '{path}' chỉ đọc được (không ghi được vào tệp hoặc thư mục chứa nó); chưa thay đổi gì",
    )
    LEDGER_READ_ONLY_OLD = (
        "the ledger '{path}' was written by an older doanfield (schema {revision}) and must be "
        "upgraded before use, but it is read-only; nothing was changed: copy it somewhere "
        "writable, or ask for write access",
        "sổ '{path}' do doanfield cũ hơn ghi (cấu trúc bản {revision}), cần nâng cấp trước khi "
        "dùng nhưng lại chỉ đọc được; chưa thay đổi gì: hãy chép sổ sang nơi ghi được, hoặc "
        "đề nghị cấp quyền ghi",
    )
    LEDGER_FULL = (
        "no space left on the disk for the ledger '{path}'; nothing was changed; "
        "free some space and try again",
        "ổ đĩa hết chỗ trống cho sổ '{path}'; chưa thay đổi gì; "
        "hãy giải phóng dung lượng rồi thử lại",
    )
    LEDGER_IO_ERROR = (
        "the disk refused to write the ledger '{path}' (an I/O error: is it full, or "
        "failing?); nothing was changed",
        "ổ đĩa không ghi được sổ '{path}' (lỗi vào/ra: ổ đầy hay bị hỏng?); chưa thay đổi gì",
    )
    BACKUP_NOT_SOUND = (
        "the copy '{path}' failed its integrity check ({problem}); nothing was written",
        "bản sao '{path}' không qua được kiểm tra toàn vẹn ({problem}); chưa ghi gì",
    )
    BACKUP_SQLITE_ONLY = (
        "db backup copies SQLite ledgers; back up a server database with its own tools",
        "db backup chỉ sao lưu sổ SQLite; hãy sao lưu cơ sở dữ liệu máy chủ bằng công cụ riêng",
    )
    FILE_EXISTS_FORCE = (
        "'{path}' already exists; give --force to replace it, or choose a new file",
        "'{path}' đã có; thêm --force để ghi đè, hoặc chọn một tệp mới",
    )
    FOLDER_MISSING = ("folder '{path}' does not exist", "không có thư mục '{path}'")
    NO_DRIVER = (
        "no database driver for '{driver}' is installed{hint}: {error}",
        "chưa cài trình điều khiển cơ sở dữ liệu cho '{driver}'{hint}: {error}",
    )

    # --------------------------------------------------------------- files doanfield writes
    OUTPUT_IS_LEDGER = (
        "'{path}' is the ledger or one of its own files ({ledger}); "
        "doanfield never writes over it: choose another file",
        "'{path}' là sổ hoặc một tệp của chính sổ ({ledger}); "
        "doanfield không bao giờ ghi đè lên sổ: hãy chọn tệp khác",
    )
    OUTPUT_IS_A_LEDGER = (
        "'{path}' is a doanfield ledger (or a backup of one); doanfield never writes over a "
        "ledger, not even with --force: choose another file",
        "'{path}' là một sổ doanfield (hoặc bản sao lưu của sổ); doanfield không bao giờ ghi "
        "đè lên sổ, kể cả khi có --force: hãy chọn tệp khác",
    )
    OUTPUT_NOT_REGULAR = (
        "'{path}' is {kind}, not a file; give the name of a file to write",
        "'{path}' là {kind}, không phải tệp; hãy ghi tên một tệp để ghi ra",
    )
    KIND_FOLDER = ("a folder", "một thư mục")
    KIND_PIPE = ("a pipe (FIFO)", "một đường ống (FIFO)")
    KIND_DEVICE = ("a device", "một thiết bị")
    KIND_SOCKET = ("a socket", "một socket")
    KIND_OTHER = ("not a regular file", "không phải tệp thông thường")
    OUTPUT_NO_SPACE = (
        "no space left to write '{path}' (the disk is full); nothing was written; "
        "free some space and try again",
        "hết chỗ trống để ghi '{path}' (ổ đĩa đã đầy); chưa ghi gì; "
        "hãy giải phóng dung lượng rồi thử lại",
    )
    OUTPUT_FAILED = (
        "cannot write '{path}': {reason}; nothing was written",
        "không ghi được '{path}': {reason}; chưa ghi gì",
    )
    OUTPUT_IO_ERROR = (
        "the disk refused to write '{path}' (an I/O error: is it full, or failing?); "
        "nothing was written",
        "ổ đĩa không ghi được '{path}' (lỗi vào/ra: ổ đầy hay bị hỏng?); chưa ghi gì",
    )
    FORMAT_CONTRADICTS_FILE = (
        "--format {format} contradicts the file name '{path}' (a .{extension} file); "
        "give one or the other",
        "--format {format} không khớp với tên tệp '{path}' (tệp .{extension}); "
        "chỉ cần ghi một trong hai",
    )
    FORMAT_NOT_OFFERED = (
        "this command does not write {format} (the file name '{path}' asks for it); "
        "it writes {offered}",
        "lệnh này không ghi được dạng {format} (tên tệp '{path}' đòi dạng đó); "
        "lệnh ghi được: {offered}",
    )
    LEFTOVER_TEMPORARY = (
        "'{path}' is left over from a write that did not finish (a backup or an output killed "
        "half-way); it is no ledger and nothing uses it: delete it",
        "'{path}' còn sót lại từ một lần ghi chưa xong (sao lưu hoặc ghi tệp bị ngắt giữa "
        "chừng); đây không phải sổ và không được dùng đến: hãy xóa nó",
    )

    # --------------------------------------------------------------- several desks, a server
    N_MINUTES = ("{n} minutes", "{n} phút")
    N_SECONDS = ("{n} seconds", "{n} giây")
    WAITING_FOR_WRITER = (
        "waiting for another doanfield that is writing… (up to {wait})",
        "đang chờ một doanfield khác ghi xong… (tối đa {wait})",
    )
    STILL_BUSY = (
        "the ledger is still busy after waiting {wait}: another doanfield has been writing all "
        "that time (a large import?); nothing was changed; try again later",
        "sổ vẫn bận sau khi đã chờ {wait}: một doanfield khác ghi suốt thời gian đó (đang nhập "
        "một tệp lớn?); chưa thay đổi gì; hãy thử lại sau",
    )
    URL_AT_IN_PASSWORD = (
        "the --db URL '{url}' has an '@' in its password, which a URL takes for the end of "
        "the password; write each '@' of the password as %40, or better leave the password out "
        "of the URL and put it in ~/.pgpass",
        "địa chỉ --db '{url}' có ký tự '@' trong mật khẩu, mà địa chỉ hiểu là chỗ hết mật khẩu; "
        "hãy viết mỗi '@' của mật khẩu thành %40, hoặc tốt hơn là bỏ mật khẩu khỏi địa chỉ và "
        "ghi nó vào ~/.pgpass",
    )
    URL_UNREADABLE = (
        "cannot read the --db URL '{url}'; write it as postgresql+psycopg://USER@HOST/DATABASE "
        "(a password is best kept in ~/.pgpass; in the URL, percent-encode @ : / as %40 %3A %2F)",
        "không đọc được địa chỉ --db '{url}'; hãy viết dạng postgresql+psycopg://NGƯỜI_DÙNG@MÁY/"
        "CƠ_SỞ_DỮ_LIỆU (mật khẩu nên để trong ~/.pgpass; nếu ghi trong địa chỉ, hãy mã hóa @ : / "
        "thành %40 %3A %2F)",
    )
    PG_SERVER = (
        "the PostgreSQL server at {host} (database '{database}')",
        "máy chủ PostgreSQL {host} (cơ sở dữ liệu '{database}')",
    )
    SERVER_UNREACHABLE = (
        "cannot reach {server}: is the server running, and are the host and port in --db right? "
        "(PostgreSQL said: {detail})",
        "không kết nối được tới {server}: máy chủ có đang chạy không, máy và cổng trong --db có "
        "đúng không? (PostgreSQL báo: {detail})",
    )
    SERVER_REFUSED_USER = (
        "{server} refused user '{user}': check the user name and the password (~/.pgpass or "
        "PGPASSWORD, never in --db), or ask the administrator for access",
        "{server} từ chối người dùng '{user}': hãy kiểm tra tên người dùng và mật khẩu "
        "(~/.pgpass hoặc PGPASSWORD, đừng ghi trong --db), hoặc đề nghị người quản trị cấp quyền",
    )
    SERVER_NO_DATABASE = (
        "{server} has no database '{database}': check the name in --db, or create it first "
        "(createdb {database})",
        "{server} không có cơ sở dữ liệu '{database}': hãy kiểm tra tên trong --db, hoặc tạo "
        "nó trước (createdb {database})",
    )
    SERVER_PERMISSION = (
        "PostgreSQL user '{user}' lacks a permission on {server} ({detail}); ask the database's "
        "administrator to grant it; nothing was changed",
        "người dùng PostgreSQL '{user}' thiếu quyền trên {server} ({detail}); hãy đề nghị người "
        "quản trị cơ sở dữ liệu cấp quyền; chưa thay đổi gì",
    )
    SERVER_LOST = (
        "lost the connection to {server} during the command; nothing was changed; check that "
        "the server is running and try again",
        "mất kết nối tới {server} giữa chừng; chưa thay đổi gì; hãy kiểm tra máy chủ còn chạy "
        "rồi thử lại",
    )
    SERVER_LOST_SAVING = (
        "lost the connection to {server} while saving; the change may or may not have been "
        "kept: check with 'doanfield log' before trying again",
        "mất kết nối tới {server} khi đang lưu; thay đổi có thể đã được lưu hoặc chưa: hãy xem "
        "'doanfield log' trước khi thử lại",
    )
    COPY_TARGET_NOT_EMPTY = (
        "'{target}' is not empty ({held}); db copy only fills an empty ledger",
        "'{target}' không trống ({held}); db copy chỉ chép vào một sổ trống",
    )
    COPY_DIFFERS = (
        "the copy's table {table} differs from the ledger's ({copied} rows against {rows}); "
        "nothing was written to '{target}'",
        "bảng {table} của bản sao khác với sổ ({copied} dòng so với {rows}); chưa ghi gì vào "
        "'{target}'",
    )
    COPY_DONE = (
        "copied {rows} rows in {tables} tables to {target}; every table checked: the same rows",
        "đã chép {rows} dòng trong {tables} bảng sang {target}; đã kiểm tra từng bảng: đủ và "
        "đúng các dòng",
    )
    LOG_GUARD_MISSING = (
        "the change log's guard '{name}' is missing",
        "thiếu lớp bảo vệ '{name}' của nhật ký thay đổi",
    )
    LOG_ENTRY_UNLINKED = (
        "change log entry #{id} does not follow {after}: an entry was removed, inserted or changed",
        "mục #{id} của nhật ký thay đổi không nối tiếp {after}: có mục đã bị xóa, chèn hoặc sửa",
    )
    LOG_ENTRY_AFTER = ("entry #{id}", "mục #{id}")
    LOG_START = ("the start of the log", "đầu nhật ký")
    LOG_ENTRY_CHANGED = (
        "change log entry #{id} was changed after it was written (its hash does not match)",
        "mục #{id} của nhật ký thay đổi đã bị sửa sau khi ghi (mã băm không khớp)",
    )
    LOG_ENTRY_BACK_DATED = (
        "change log entry #{id} is dated before entry #{before}",
        "mục #{id} của nhật ký thay đổi có thời gian trước mục #{before}",
    )

    # --------------------------------------------------------------- usage (exit 2)
    TRIP_DATE_AND_RANGE = (
        "give --date for a one-day trip, or --start and --end, not both",
        "chỉ ghi --date cho đợt một ngày, hoặc --start và --end, không ghi cả hai",
    )
    TRIP_DATE_OR_RANGE = (
        "give --date DATE, or both --start DATE and --end DATE",
        "cần --date NGÀY, hoặc cả --start NGÀY và --end NGÀY",
    )
    MONTHS_OR_END = (
        "give either --months N or --end DATE",
        "cần một trong hai: --months N hoặc --end NGÀY",
    )
    TEXT_OR_FILE = (
        "give either --text TEXT or --file PATH",
        "cần một trong hai: --text VĂN_BẢN hoặc --file TỆP",
    )
    FORMAT_NEEDS_FILE = (
        "--format {format} writes a file: add --output FILE.xlsx",
        "--format {format} ghi ra tệp: thêm --output TỆP.xlsx",
    )
    NOT_WHOLE_IN_RANGE = (
        "'{value}' is not a whole number from {low} to {high}",
        "'{value}' không phải số nguyên từ {low} đến {high}",
    )
    ARGUMENT_NOT_TEXT = (
        "argument {n} ('{shown}') is not text: its bytes are not UTF-8",
        "tham số thứ {n} ('{shown}') không phải văn bản: các byte không theo UTF-8",
    )
    VARIABLE_NOT_TEXT = (
        "the variable {name} ('{shown}') is not text: its bytes are not UTF-8",
        "biến môi trường {name} ('{shown}') không phải văn bản: các byte không theo UTF-8",
    )
    NOT_A_PAIR = (
        "'{value}' is not LEVEL=NUMBER (e.g. district=13)",
        "'{value}' không đúng dạng CẤP=SỐ (ví dụ district=13)",
    )
    NEW_LEVEL_UNITS_ONLY = (
        "only import units adds levels",
        "chỉ import units mới thêm được cấp mới",
    )
    MAX_AGE_WITHOUT_QUOTA = (
        "level '{level}' has a --max-age but no --quota",
        "cấp '{level}' có --max-age nhưng không có --quota",
    )
    # Click's own usage errors, said again in the user's language (cli/main.py).
    BAD_VALUE_FOR = (
        "Invalid value for {param}: {problem}",
        "Giá trị không hợp lệ cho {param}: {problem}",
    )
    BAD_VALUE = ("Invalid value: {problem}", "Giá trị không hợp lệ: {problem}")
    MISSING_PARAM = ("Missing {kind} {param}.", "Thiếu {kind} {param}.")
    OPTION = ("option", "tùy chọn")
    ARGUMENT = ("argument", "tham số")
    PARAMETER = ("parameter", "tham số")
    NO_SUCH_OPTION = ("No such option: {option}{possible}", "Không có tùy chọn {option}{possible}")
    POSSIBLE_OPTIONS = (" (Possible options: {options})", " (Các tùy chọn gần giống: {options})")
    NO_SUCH_COMMAND = ("No such command '{name}'{hint}.", "Không có lệnh '{name}'{hint}.")
    NEEDS_VALUE = (
        "Option '{option}' requires an argument.",
        "Tùy chọn '{option}' cần một giá trị.",
    )
    EXTRA_ARGUMENTS = ("Got unexpected extra argument(s) ({args})", "Thừa tham số ({args})")
    CHOICE_NOT_ONE_OF = (
        "'{value}' is not one of {known}.",
        "'{value}' không phải một trong: {known}.",
    )
    NOT_WHOLE = ("is not a whole number", "không phải một số nguyên")
    NOT_AN_INTEGER = ("'{value}' is not a valid integer.", "'{value}' không phải một số nguyên.")
    NOT_IN_RANGE = ("{value} is not in the range {range}.", "{value} nằm ngoài khoảng {range}.")
    WITH_HINT = ("{message}{hint}", "{message}{hint}")
    SEE_HELP = (" (see '{command} --help')", " (xem '{command} --help')")

    # --------------------------------------------------------------- the CLI itself
    ERROR_LINE = ("doanfield: error: {message}", "doanfield: lỗi: {message}")
    ABORTED = ("aborted", "đã dừng")
    INTERRUPTED = (
        "interrupted; nothing was changed",
        "đã dừng theo yêu cầu (Ctrl-C); sổ không thay đổi gì",
    )
    BUSY = (
        "the ledger is busy (another doanfield is writing); try again",
        "sổ đang bận (một doanfield khác đang ghi); hãy thử lại",
    )
    UNEXPECTED = (
        "{name}: {detail} (run with --debug for details)",
        "{name}: {detail} (chạy lại với --debug để xem chi tiết)",
    )
    OS_NOT_FOUND = ("no such file or folder", "không có tệp hay thư mục này")
    OS_PERMISSION = ("permission denied", "không có quyền truy cập")
    OS_IS_FOLDER = ("it is a folder", "đây là một thư mục")
    OS_NO_SPACE = (
        "no space left on the disk; nothing more was written",
        "ổ đĩa đã hết chỗ trống; không ghi thêm được gì",
    )
    OS_OTHER = ("{reason}", "{reason}")

    @property
    def en(self) -> str:
        return self.value[0]

    @property
    def vi(self) -> str:
        return self.value[1]

    def __call__(self, **values: Any) -> Message:
        """`Msg.TRIP_ADDED(id=5)`: the message with its values, to render later."""
        return Message(self, values)


@dataclass(frozen=True)
class Word:
    """A word of the vocabulary (a kind, category, level, reason, status) given as its code.

    `column` names its vocabulary (`kind`, `category`, `level`, `reason`, `status`,
    `training_status`, as in vocabulary.BY_COLUMN); without it, the first that knows the code.
    """

    code: str
    column: str = ""


@dataclass(frozen=True)
class Heading:
    """A column of an import file or a list, named for the reader: the column itself (`start`)
    in English, as the files' header names it; its heading (`Từ ngày`) in Vietnamese."""

    column: str
    kind: str = ""


@dataclass(frozen=True)
class Message:
    """A key with its values; `raw` holds a sentence that is not (yet) in the catalogue."""

    key: Msg | None
    values: Mapping[str, Any] = field(default_factory=dict)
    raw: str = ""

    def text(self, lang: str) -> str:
        if self.key is None:
            return self.raw
        template = self.key.vi if lang == VI else self.key.en
        return template.format(**{name: show(v, lang) for name, v in self.values.items()})

    def __str__(self) -> str:
        return self.text("en")


def message(key: Msg | Message | str, values: Mapping[str, Any] | None = None) -> Message:
    """A Message from a key and values, a Message, or a plain (untranslated) sentence."""
    if isinstance(key, Message):
        return key
    if isinstance(key, Msg):
        return Message(key, dict(values or {}))
    return Message(None, {}, key)


def text(lang: str, key: Msg | Message | str, /, **values: Any) -> str:
    """The sentence in the chosen language, values filled in."""
    return message(key, values).text(lang)


def show(value: Any, lang: str) -> str:
    """A value inside a message, as a reader of `lang` expects it."""
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, Msg):
        return Message(value).text(lang)
    if isinstance(value, bool):
        return (Msg.YES if value else Msg.NO).vi if lang == VI else ("yes" if value else "no")
    if isinstance(value, datetime):
        return local_time(value, lang)
    if isinstance(value, date):
        iso = value.isoformat()
        return f"{iso[8:]}/{iso[5:7]}/{iso[:4]}" if lang == VI else iso
    if isinstance(value, Word):
        return word(value.code, lang, value.column)
    if isinstance(value, Heading):
        from doanfield.i18n import heading

        return heading(value.column, lang, value.kind) if lang == VI else value.column
    if isinstance(value, Enum) and isinstance(value, str):
        return word(value.value, lang)
    if isinstance(value, list | tuple):
        items = [show(item, lang) for item in value]
        return ("; " if any("," in item for item in items) else ", ").join(items)
    return str(value)


def word(code: str, lang: str, column: str = "") -> str:
    """A word of the vocabulary in the chosen language (the code itself in English)."""
    if lang != VI:
        return code
    from doanfield.vocabulary import BY_COLUMN, label

    if not column:
        column = next((c for c, words in BY_COLUMN.items() if code in words.words), "")
    return label(column, code, lang) if column else code


def local_time(value: datetime, lang: str) -> str:
    """A stored moment (UTC when it has no zone) in this computer's time zone, to the minute."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    local = moment.astimezone()
    return local.strftime("%d/%m/%Y %H:%M" if lang == VI else "%Y-%m-%d %H:%M")


def os_reason(error: OSError) -> Message:
    """Why the system refused a file, in words a clerk can act on."""
    if isinstance(error, FileNotFoundError):
        return Msg.OS_NOT_FOUND()
    if isinstance(error, PermissionError):
        return Msg.OS_PERMISSION()
    if isinstance(error, IsADirectoryError):
        return Msg.OS_IS_FOLDER()
    if error.errno in (errno.ENOSPC, errno.EFBIG):
        return Msg.OS_NO_SPACE()
    return Msg.OS_OTHER(reason=error.strerror or str(error))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_LETTERS = re.compile(r"[^\W\d_]")


def has_words(template: str) -> bool:
    """True when the template says something beyond its values and punctuation."""
    bare = re.sub(r"\{[^}]*\}", "", template)
    return bool(_LETTERS.search(bare))
