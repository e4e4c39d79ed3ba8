"""The worker's half of printing: make a document with receipts/, render its pages, save it.

Nothing here paints or touches a printer; every function runs on the store worker (the ones
without a store through `Worker.call`). receipts/ (ReportLab) and PDFium are imported on the
first document, not while the window starts. A receipt is prepared by `receipt_pdf` (the core
decides whether it is the original or a COPY) and its print recorded only when it is handed
over: `Job.issue`, run when the clerk sends it to the printer or the PDF is saved for them.

Each paper has its printer (`printer_for`): receipts and slips, on the receipt paper, go to the
`printer` setting; the daily summaries (the counter's and the office's), always A4, to
`a4_printer`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtGui import QImage

from odsc_desk.api import Actor, Store, record_receipt_print, settings, workdays
from odsc_desk.shared.errors import ValidationError

DOCUMENTS = "documents"  # under the data folder
PREVIEW_DPI = 110
# Narrower than this is a thermal roll: it prints black only, so a grey image is a quarter of the
# memory and work of a colour one.
ROLL_WIDTH_PT = 100 * 72 / 25.4


@dataclass
class Job:
    """One document on its way to paper or to a PDF file."""

    kind: str  # "receipt", "slip", "notice" (A4), "summary" or "office" (the office's summary)
    name: str  # the receipt number, the tracking number or the day (ISO)
    pdf: bytes
    notice: str = ""  # which notice, for kind "notice": one of receipts.slips.NOTICE_KINDS
    path: Path | None = None  # where it was saved, if it was
    copy: bool = False
    action: str = "save"  # "ask", "now" or "save"
    printer: str = ""  # the printer setting for its paper (`printer_for`): "" for the default
    sizes: list[tuple[float, float]] = field(default_factory=list)  # each page, in points
    preview: list[QImage] = field(default_factory=list)
    # A receipt's print counts only once it is handed over (sent to a printer, or saved as the
    # file the citizen gets): `issue` saves its PDF and records the print, on the worker.
    issue: Callable[[Store], Path] | None = None


def free_path(folder: Path, stem: str) -> Path:
    """`stem.pdf`, or `stem-2.pdf`, `stem-3.pdf`… when taken: a print never replaces a file."""
    for n in itertools.count(1):
        path = folder / (f"{stem}.pdf" if n == 1 else f"{stem}-{n}.pdf")
        if not path.exists():
            return path
    raise AssertionError("unreachable")


def receipt_job(store: Store, actor: Actor, receipt: str, folder: Path, paper: str) -> Job:
    from receipts.receipt import receipt_pdf

    _data, pdf, issued = receipt_pdf(store, actor, receipt, paper)
    job = Job("receipt", issued.receipt, pdf, copy=issued.copy)

    def issue(store: Store) -> Path:
        path = save(folder, job)
        try:
            record_receipt_print(store, actor, issued)
        except BaseException:
            path.unlink(missing_ok=True)  # not handed over: no file that looks like one
            raise
        return path

    job.issue = issue
    return job


def slip_job(store: Store, actor: Actor, tracking: str, paper: str) -> Job:
    from receipts import slips

    data, pdf = slips.slip_pdf(store, actor, tracking, paper)
    return Job("slip", data.request["tracking"], pdf)


def notice_job(
    store: Store, actor: Actor, tracking: str, kind: str, new_day: date | None = None
) -> Job:
    """One of a request's notices (A4): the documents still missing, the refusal, or a late
    request's new date (`new_day`, recorded as the notice is made: receipts/slips.py)."""
    from receipts import slips

    data, pdf, _ = slips.notice_pdf(store, actor, tracking, kind, new_day=new_day)
    return Job("notice", data.request["tracking"], pdf, notice=kind)


def counted_new_date(store: Store, tracking: str) -> date:
    """The new date a late request's notice tells unless the clerk gives another: the
    service's working days counted again from today (receipts/slips.py says why)."""
    from receipts import slips

    return slips.new_date(slips.load(store, tracking), workdays.office_closures(store))


def summary_job(store: Store, actor: Actor, day: date | None) -> Job:
    from receipts import summary

    data, pdf = summary.summary_pdf(store, actor, day)
    return Job("summary", data.day.isoformat(), pdf)


def office_summary_job(store: Store, actor: Actor, day: date | None) -> Job:
    from receipts import office_summary

    data, pdf = office_summary.office_summary_pdf(store, actor, day)
    return Job("office", data.day.isoformat(), pdf)


A4_KINDS = ("summary", "office", "notice")


def printer_for(kind: str, values: settings.SettingValues) -> str:
    """The printer a document of `kind` goes to, by its paper; "" is the system's default.

    Receipts and slips are on the receipt paper: the receipt printer. The summary and the
    notices are A4: the A4 printer, or, left empty, the receipt printer when receipts are on A4
    as well (one paper, one printer, as offices had it before there were two settings) and
    otherwise the system's default, so that an A4 page never goes to a roll printer unasked.
    """
    if kind not in A4_KINDS:
        return values["printer"]
    if values["a4_printer"]:
        return values["a4_printer"]
    return values["printer"] if values["receipt_paper"] == "a4" else ""


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_size() for i in range(len(document))]
    finally:
        document.close()


def render_page(pdf: bytes, index: int, dpi: float) -> QImage:
    """Page `index` of `pdf` as an image at `dpi`."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        scale = dpi / 72
        if page.get_width() < ROLL_WIDTH_PT:
            bitmap = page.render(scale=scale, grayscale=True)
            kind = QImage.Format.Format_Grayscale8
        else:
            bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
            kind = QImage.Format.Format_RGBX8888
        # copy(): the image must own its pixels once PDFium's bitmap is freed.
        return QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, kind).copy()
    finally:
        document.close()


def save(folder: Path, job: Job) -> Path:
    from receipts import output

    stem = {
        "receipt": job.name,
        "slip": f"{job.name}-slip",
        "notice": f"{job.name}-{job.notice}",
        "summary": f"summary-{job.name}",
        "office": f"office-summary-{job.name}",
    }
    return output.write_new(free_path(folder, stem[job.kind]), job.pdf)


def prepare(
    store: Store, make: Callable[[Store, str], Job], have_printer: bool, folder: Path
) -> Job:
    """Make the document with the office's paper, and get it ready for what the setting says."""
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:  # a read-only or full data folder: said as receipts/ says it
        raise ValidationError(
            "file.unwritable", "out", path=str(folder), detail=exc.strerror or exc
        ) from exc
    values = settings.all_values(store)
    mode = values["print_after_payment"]
    job = make(store, values["receipt_paper"])
    job.action = mode if have_printer and mode != "pdf" else "save"
    job.printer = printer_for(job.kind, values)
    job.sizes = page_sizes(job.pdf)
    if job.action == "save" and job.path is None:
        job.path = job.issue(store) if job.issue is not None else save(folder, job)
    if job.action == "ask":
        job.preview = [render_page(job.pdf, i, PREVIEW_DPI) for i in range(len(job.sizes))]
    return job
